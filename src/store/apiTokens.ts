/** `api_tokens`: the HTTP service's bearer tokens, stored as the SHA-256 of their text. */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type ApiTokenRow = { id: string; name: string; scopes: string; created_at: string; revoked_at: string | null; expires_at: string | null; policy: string | null; namespace: string | null }

const COLUMNS = ['id', 'name', 'scopes', 'created_at', 'revoked_at', 'expires_at', 'policy', 'namespace'] as const

/** A token row with what authenticates it: the hash and the row's MAC (vault/integrity). */
export type StoredApiToken = ApiTokenRow & { token_hash: string; row_mac?: string | null }

export async function insertApiToken(db: Executor, row: StoredApiToken): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute()
}

export async function listApiTokens(db: Executor): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').select(COLUMNS).orderBy('created_at').orderBy('id').execute()
}

export async function findApiToken(db: Executor, id: string): Promise<StoredApiToken | undefined> {
  return db.selectFrom('api_tokens').select([...COLUMNS, 'token_hash', 'row_mac']).where('id', '=', id).executeTakeFirst()
}

export async function findApiTokenByHash(db: Executor, hash: string): Promise<StoredApiToken | undefined> {
  return db.selectFrom('api_tokens').select([...COLUMNS, 'token_hash', 'row_mac']).where('token_hash', '=', hash).executeTakeFirst()
}

export async function markApiTokenRevoked(db: Executor, id: string, at: string, rowMac: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at, row_mac: rowMac }).where('id', '=', id).execute()
}
