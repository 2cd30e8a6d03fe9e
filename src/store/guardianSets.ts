/** Rows of `user_guardian_sets`: a user's guardian sets (one active). */
import type { Kysely, Transaction } from 'kysely'
import type { Database, UserGuardianSetsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>
export type GuardianSetRow = UserGuardianSetsTable

export async function insertGuardianSet(trx: Executor, row: GuardianSetRow): Promise<void> {
  await trx.insertInto('user_guardian_sets').values(row).execute()
}

export async function findActiveGuardianSet(db: Executor, userId: string): Promise<GuardianSetRow | undefined> {
  return db.selectFrom('user_guardian_sets').selectAll().where('user_id', '=', userId).where('state', '=', 'active').executeTakeFirst()
}

export async function findGuardianSet(db: Executor, id: string): Promise<GuardianSetRow | undefined> {
  return db.selectFrom('user_guardian_sets').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lastGuardianSetVersion(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('user_guardian_sets').select((eb) => eb.fn.max('version').as('v')).where('user_id', '=', userId).executeTakeFirst()
  return Number(row?.v ?? 0)
}

/** Marks the user's active set removed; returns how many rows changed (0 or 1). */
export async function removeActiveGuardianSet(trx: Executor, userId: string, at: string): Promise<number> {
  const result = await trx.updateTable('user_guardian_sets').set({ state: 'removed', removed_at: at }).where('user_id', '=', userId).where('state', '=', 'active').executeTakeFirst()
  return Number(result.numUpdatedRows)
}
