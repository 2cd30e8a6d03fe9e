/** The vault's identity in coffre_meta ('vault_id'), written by the first migration; shares name it. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

export async function readVaultId(db: Kysely<Database> | Transaction<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('coffre_meta').select('value').where('key', '=', 'vault_id').executeTakeFirst()
  return row?.value
}
