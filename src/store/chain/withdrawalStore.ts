/**
 * Withdrawal rows (migration 011). `insertWithdrawal` is keyed by the request id: a second insert
 * of one request returns the first row untouched (inserted = false). State changes are
 * compare-and-set on the current state and run inside the caller's transaction, so the event that
 * reports a change is stored with it.
 */
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { ChainWithdrawalsTable, Database, WithdrawalState } from '../schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type WithdrawalRow = Selectable<ChainWithdrawalsTable>
export type NewWithdrawal = Omit<WithdrawalRow, 'state' | 'tx_ref' | 'last_error' | 'updated_at'>

export async function insertWithdrawal(db: Executor, row: NewWithdrawal): Promise<{ inserted: boolean; row: WithdrawalRow }> {
  const result = await db
    .insertInto('chain_withdrawals')
    .values({ ...row, state: 'pending', tx_ref: null, last_error: null, updated_at: row.created_at })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .executeTakeFirst()
  const stored = await findWithdrawalByRequest(db, row.request_id)
  if (stored === undefined) throw new Error('withdrawal row vanished after insert')
  return { inserted: Number(result.numInsertedOrUpdatedRows ?? 0n) === 1, row: stored }
}

export function findWithdrawalByRequest(db: Executor, requestId: string): Promise<WithdrawalRow | undefined> {
  return db.selectFrom('chain_withdrawals').selectAll().where('request_id', '=', requestId).executeTakeFirst()
}

export function findWithdrawal(db: Executor, id: string): Promise<WithdrawalRow | undefined> {
  return db.selectFrom('chain_withdrawals').selectAll().where('id', '=', id).executeTakeFirst()
}

export function listOpenWithdrawals(db: Executor, limit: number): Promise<WithdrawalRow[]> {
  return db.selectFrom('chain_withdrawals').selectAll().where('state', 'in', ['pending', 'sent']).orderBy('updated_at').limit(limit).execute()
}

/** Moves a withdrawal from `from` to `to`; false if it was not in `from` (another worker moved it). */
export async function transitionWithdrawal(db: Executor, id: string, from: WithdrawalState, patch: { state: WithdrawalState; txRef?: string | null; lastError?: string | null }, at: string): Promise<boolean> {
  const result = await db
    .updateTable('chain_withdrawals')
    .set({ state: patch.state, ...(patch.txRef === undefined ? {} : { tx_ref: patch.txRef }), ...(patch.lastError === undefined ? {} : { last_error: patch.lastError }), updated_at: at })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
