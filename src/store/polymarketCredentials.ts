/**
 * Rows of `clob_credentials`: a user's Polymarket API keys per CLOB (base URL). Ciphertexts are
 * opaque here; sealing and opening them is the vault's job (src/vault/polymarket).
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { Database, ClobCredentialsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type ClobCredentialRow = Selectable<ClobCredentialsTable>
export type NewClobCredentialRow = Insertable<ClobCredentialsTable>
export type CredentialScope = { readonly userId: string; readonly baseUrl: string; readonly kind?: ClobCredentialsTable['kind']; readonly state?: ClobCredentialsTable['state'] }

/** A user's keys at one CLOB, newest first (highest nonce, then creation time). */
export async function findCredentials(db: Executor, scope: CredentialScope): Promise<ClobCredentialRow[]> {
  let query = db
    .selectFrom('clob_credentials')
    .selectAll()
    .where('user_id', '=', scope.userId)
    .where('base_url', '=', scope.baseUrl)
    .orderBy('nonce', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  if (scope.kind !== undefined) query = query.where('kind', '=', scope.kind)
  if (scope.state !== undefined) query = query.where('state', '=', scope.state)
  return query.execute()
}

export async function findCredentialByKey(db: Executor, baseUrl: string, apiKey: string): Promise<ClobCredentialRow | undefined> {
  return db.selectFrom('clob_credentials').selectAll().where('base_url', '=', baseUrl).where('api_key', '=', apiKey).executeTakeFirst()
}

/** Inserts unless (base URL, API key) is already stored; true when inserted. */
export async function insertCredential(db: Executor, row: NewClobCredentialRow): Promise<boolean> {
  const result = await db
    .insertInto('clob_credentials')
    .values(row)
    .onConflict((oc) => oc.columns(['base_url', 'api_key']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
}

export async function markCredentialRevoked(db: Executor, id: string, at: string, rotated: boolean, rowMac: string): Promise<void> {
  await db
    .updateTable('clob_credentials')
    .set({ state: 'revoked', revoked_at: at, row_mac: rowMac, ...(rotated ? { rotated_at: at } : {}) })
    .where('id', '=', id)
    .execute()
}

export async function markCredentialActive(db: Executor, id: string, rowMac: string): Promise<void> {
  await db.updateTable('clob_credentials').set({ state: 'active', revoked_at: null, row_mac: rowMac }).where('id', '=', id).execute()
}
