/** `legacy_api_credentials`: Polymarket API credentials brought over by the legacy import, sealed, until first used. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type LegacyCredentialRow = { user_id: string; api_key: string; secret_ciphertext: string; passphrase_ciphertext: string; created_at: string }

/** Inserts unless the user already has legacy credentials; true when inserted. */
export async function insertLegacyCredentials(db: Executor, row: LegacyCredentialRow): Promise<boolean> {
  const result = await db.insertInto('legacy_api_credentials').values(row).onConflict((oc) => oc.column('user_id').doNothing()).executeTakeFirst()
  return result.numInsertedOrUpdatedRows === 1n
}

export async function findLegacyCredentials(db: Executor, userId: string): Promise<LegacyCredentialRow | undefined> {
  return db.selectFrom('legacy_api_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst()
}

/** Deletes the user's legacy credentials (only those of `apiKey` when given). */
export async function deleteLegacyCredentials(db: Executor, userId: string, apiKey?: string): Promise<void> {
  let query = db.deleteFrom('legacy_api_credentials').where('user_id', '=', userId)
  if (apiKey !== undefined) query = query.where('api_key', '=', apiKey)
  await query.execute()
}
