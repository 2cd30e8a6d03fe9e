/**
 * Recovery keys in the store: the keyRefs in coffre_meta ('recovery_key_ref' for the current one,
 * 'recovery_key_ref_pending' for a split not yet confirmed) and their wraps of each data key
 * (data_keys.recovery_wrapped_key / pending_recovery_wrapped_key). A pending key never replaces
 * the current one until `promotePendingRecoveryKey`.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export const RECOVERY_KEY_REF = 'recovery_key_ref'
export const PENDING_RECOVERY_KEY_REF = 'recovery_key_ref_pending'

export type RecoveryKeyRefs = { readonly current?: string; readonly pending?: string }

async function readMeta(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('coffre_meta').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value
}

async function writeMeta(db: Executor, key: string, value: string): Promise<void> {
  await db.deleteFrom('coffre_meta').where('key', '=', key).execute()
  await db.insertInto('coffre_meta').values({ key, value }).execute()
}

/** The current recovery key's keyRef (undefined when no split ever finished). */
export const readRecoveryKeyRef = (db: Executor): Promise<string | undefined> => readMeta(db, RECOVERY_KEY_REF)

export async function readRecoveryKeyRefs(db: Executor): Promise<RecoveryKeyRefs> {
  const [current, pending] = await Promise.all([readMeta(db, RECOVERY_KEY_REF), readMeta(db, PENDING_RECOVERY_KEY_REF)])
  return { ...(current === undefined ? {} : { current }), ...(pending === undefined ? {} : { pending }) }
}

/** Records a new pending recovery key: its wraps (by data-key id) and keyRef; an earlier pending one is dropped. */
export async function writePendingRecoveryKey(trx: Transaction<Database>, keyRef: string, wraps: ReadonlyMap<string, string>): Promise<void> {
  await trx.updateTable('data_keys').set({ pending_recovery_wrapped_key: null }).execute()
  for (const [id, wrapped] of wraps) await trx.updateTable('data_keys').set({ pending_recovery_wrapped_key: wrapped }).where('id', '=', id).execute()
  await writeMeta(trx, PENDING_RECOVERY_KEY_REF, keyRef)
}

/**
 * Makes the pending recovery key `keyRef` current: its wraps replace the previous key's (wraps of
 * data keys it does not cover, e.g. retired ones, are dropped with the previous key). False when
 * `keyRef` is not the pending key any more (another split replaced it).
 */
export async function promotePendingRecoveryKey(trx: Transaction<Database>, keyRef: string): Promise<boolean> {
  if ((await readMeta(trx, PENDING_RECOVERY_KEY_REF)) !== keyRef) return false
  await trx.updateTable('data_keys').set((eb) => ({ recovery_wrapped_key: eb.ref('pending_recovery_wrapped_key'), pending_recovery_wrapped_key: null })).execute()
  await writeMeta(trx, RECOVERY_KEY_REF, keyRef)
  await trx.deleteFrom('coffre_meta').where('key', '=', PENDING_RECOVERY_KEY_REF).execute()
  return true
}
