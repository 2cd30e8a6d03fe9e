/** Data-key rows: the wrapped DEKs, their state and their encryption counters. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { StoreDialect } from './dialect.ts'
import type { DataKeyState, Database, DataKeysTable } from './schema.ts'
import { secretColumns } from './secretColumns.ts'

export type DataKeyRow = Omit<DataKeysTable, 'encryption_count' | 'recovery_wrapped_key' | 'pending_recovery_wrapped_key'> & {
  encryption_count: number
  recovery_wrapped_key?: string | null
  pending_recovery_wrapped_key?: string | null
}
type Executor = Kysely<Database> | Transaction<Database>

export async function listDataKeys(db: Executor): Promise<DataKeyRow[]> {
  return db.selectFrom('data_keys').selectAll().orderBy('created_at').orderBy('id').execute()
}

export async function findDataKey(db: Executor, id: string): Promise<DataKeyRow | undefined> {
  return db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findActiveDataKey(db: Executor): Promise<DataKeyRow | undefined> {
  return db.selectFrom('data_keys').selectAll().where('state', '=', 'active').executeTakeFirst()
}

/** True once any secret has been stored: a vault holding secrets is never "new", whatever `data_keys` says. */
export async function anySecretStored(db: Executor): Promise<boolean> {
  for (const table of new Set(secretColumns.map((c) => c.table))) {
    const { rows } = await sql`select 1 from ${sql.table(table)} limit 1`.execute(db)
    if (rows.length > 0) return true
  }
  return false
}

export async function insertDataKey(db: Executor, row: Omit<DataKeyRow, 'encryption_count'>): Promise<void> {
  await db.insertInto('data_keys').values({ ...row, encryption_count: 0 }).execute()
}

/** Sets a key's state (and, from an authenticating store, the row's new MAC). */
export async function setDataKeyState(db: Executor, id: string, state: DataKeyState, at: string, rowMac?: string): Promise<void> {
  await db.updateTable('data_keys').set({ state, state_changed_at: at, ...(rowMac === undefined ? {} : { row_mac: rowMac }) }).where('id', '=', id).execute()
}

/**
 * Adds `count` committed encryptions to a key, only while it is still the active key and stays
 * within `budget`. Returns false when another writer rotated the key or the budget is spent.
 */
export async function addEncryptions(db: Executor, id: string, count: number, budget: number): Promise<boolean> {
  const result = await db
    .updateTable('data_keys')
    .set((eb) => ({ encryption_count: eb('encryption_count', '+', count) }))
    .where('id', '=', id)
    .where('state', '=', 'active')
    .where('encryption_count', '<=', budget - count)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function updateWrappedKey(db: Executor, id: string, wrapped: string, providerKind: string, providerKeyRef: string, rowMac?: string): Promise<void> {
  await db
    .updateTable('data_keys')
    .set({ wrapped_key: wrapped, provider_kind: providerKind, provider_key_ref: providerKeyRef, ...(rowMac === undefined ? {} : { row_mac: rowMac }) })
    .where('id', '=', id)
    .execute()
}

/** Makes writers wait until the transaction ends: no data key is created or counted meanwhile (PostgreSQL; SQLite's write transaction already excludes them). */
export async function lockDataKeys(trx: Transaction<Database>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'postgres') await sql`lock table data_keys in share row exclusive mode`.execute(trx)
}
