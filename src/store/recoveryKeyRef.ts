/** The recovery key's keyRef in coffre_meta: which local key the data_keys.recovery_wrapped_key wraps belong to. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export const RECOVERY_KEY_REF = 'recovery_key_ref'

export async function readRecoveryKeyRef(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('coffre_meta').select('value').where('key', '=', RECOVERY_KEY_REF).executeTakeFirst()
  return row?.value
}

export async function writeRecoveryKeyRef(db: Executor, keyRef: string): Promise<void> {
  await db.deleteFrom('coffre_meta').where('key', '=', RECOVERY_KEY_REF).execute()
  await db.insertInto('coffre_meta').values({ key: RECOVERY_KEY_REF, value: keyRef }).execute()
}
