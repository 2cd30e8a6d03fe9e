/** Rows of `recovery_requests`; every state change is a compare-and-set on the state it expects. */
import type { Kysely, Transaction, Updateable } from 'kysely'
import type { Database, RecoveryRequestsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>
export type RecoveryRequestRow = RecoveryRequestsTable

export async function insertRecoveryRequest(trx: Executor, row: RecoveryRequestRow): Promise<void> {
  await trx.insertInto('recovery_requests').values(row).execute()
}

export async function findRecoveryRequest(db: Executor, userId: string, id: string): Promise<RecoveryRequestRow | undefined> {
  return db.selectFrom('recovery_requests').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
}

export async function findOpenRecoveryRequests(db: Executor, userId: string): Promise<RecoveryRequestRow[]> {
  return db.selectFrom('recovery_requests').selectAll().where('user_id', '=', userId).where('state', 'in', ['pending', 'approved']).execute()
}

/** Updates the request if it is still in `expected` state with `expectedUpdatedAt`; returns whether it did. */
export async function updateRecoveryRequest(trx: Executor, id: string, expected: { state: RecoveryRequestRow['state']; updatedAt: string }, changes: Updateable<RecoveryRequestsTable>): Promise<boolean> {
  const result = await trx.updateTable('recovery_requests').set(changes).where('id', '=', id).where('state', '=', expected.state).where('updated_at', '=', expected.updatedAt).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Cancels every open request of the user (guardians removed or rotated); returns how many. */
export async function cancelOpenRecoveryRequests(trx: Executor, userId: string, at: string): Promise<number> {
  const result = await trx.updateTable('recovery_requests').set({ state: 'cancelled', updated_at: at }).where('user_id', '=', userId).where('state', 'in', ['pending', 'approved']).executeTakeFirst()
  return Number(result.numUpdatedRows)
}
