/**
 * `rotation_progress`: one row per data key a rotation drains — secrets referencing it when the
 * drain started, secrets re-encrypted since, and when it was retired. A decrypt-only key with an
 * unfinished row is a rotation still to finish; a decrypt-only key without one (its nonce budget
 * was used up) holds its secrets until the next rotation drains it.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** A committed batch re-encrypted `count` more secrets off `dataKeyId`. */
export async function advanceDrain(trx: Executor, dataKeyId: string, count: number, at: string): Promise<void> {
  await trx.updateTable('rotation_progress').set((eb) => ({ done_rows: eb('done_rows', '+', count), updated_at: at })).where('data_key_id', '=', dataKeyId).execute()
}

/** The drain of `dataKeyId` is over (the key was retired). */
export async function finishDrain(trx: Executor, dataKeyId: string, at: string): Promise<void> {
  await trx.updateTable('rotation_progress').set({ finished_at: at, updated_at: at }).where('data_key_id', '=', dataKeyId).execute()
}

/** Every drain, with its key's state, oldest first. */
export async function listDrains(db: Executor) {
  return db
    .selectFrom('rotation_progress')
    .innerJoin('data_keys', 'data_keys.id', 'rotation_progress.data_key_id')
    .select(['rotation_progress.data_key_id', 'data_keys.state', 'total_rows', 'done_rows', 'started_at', 'updated_at', 'finished_at'])
    .orderBy('started_at')
    .execute()
}

/** Inside a rotation's transaction: every decrypt-only key is to be drained (a row it already has is kept). */
export async function markDrains(trx: Executor, at: string): Promise<void> {
  const keys = await trx.selectFrom('data_keys').select('id').where('state', '=', 'decrypt-only').execute()
  if (keys.length === 0) return
  await trx
    .insertInto('rotation_progress')
    .values(keys.map((k) => ({ data_key_id: k.id, total_rows: 0, done_rows: 0, started_at: at, updated_at: at, finished_at: null })))
    .onConflict((oc) => oc.column('data_key_id').doNothing())
    .execute()
}

/** Decrypt-only keys whose drain has not finished, oldest first. */
export async function pendingDrains(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('rotation_progress')
    .innerJoin('data_keys', 'data_keys.id', 'rotation_progress.data_key_id')
    .select('rotation_progress.data_key_id')
    .where('data_keys.state', '=', 'decrypt-only')
    .where('rotation_progress.finished_at', 'is', null)
    .orderBy('rotation_progress.started_at')
    .orderBy('rotation_progress.data_key_id')
    .execute()
  return rows.map((r) => r.data_key_id)
}

/** A drain begins: its row is created, or its total set if nothing was re-encrypted yet. */
export async function beginDrain(db: Executor, dataKeyId: string, total: number, at: string): Promise<void> {
  await db
    .insertInto('rotation_progress')
    .values({ data_key_id: dataKeyId, total_rows: total, done_rows: 0, started_at: at, updated_at: at, finished_at: null })
    .onConflict((oc) => oc.column('data_key_id').doNothing())
    .execute()
  await db.updateTable('rotation_progress').set({ total_rows: total, updated_at: at }).where('data_key_id', '=', dataKeyId).where('done_rows', '=', 0).where('finished_at', 'is', null).execute()
}
