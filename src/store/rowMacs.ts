/**
 * The `row_mac` column of the authenticated tables, across tables: reading every row (enabling
 * integrity on an existing vault, `doctor`), writing a row's MAC, and whether any row carries one.
 * The MACs themselves are computed above the store (vault/integrity).
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** Authenticated tables and their primary-key columns. */
export const ROW_KEYS = {
  users: ['id'],
  wallets: ['user_id', 'chain'],
  api_tokens: ['id'],
  data_keys: ['id'],
  derived_public_keys: ['user_id', 'idx'],
  pairs: ['uuid'],
  pair_public_keys: ['pair_uuid', 'public_key'],
  clob_credentials: ['id'],
} as const satisfies Record<string, readonly string[]>

export type AuthenticatedTable = keyof typeof ROW_KEYS
export type StoredRow = Record<string, unknown> & { row_mac?: string | null }

/** Every row of `table`, in primary-key order. */
export async function listRowsOf(db: Executor, table: AuthenticatedTable): Promise<StoredRow[]> {
  const order = sql.join(ROW_KEYS[table].map((column) => sql.ref(column)))
  const { rows } = await sql<StoredRow>`select * from ${sql.table(table)} order by ${order}`.execute(db)
  return rows
}

export async function setRowMac(trx: Executor, table: AuthenticatedTable, row: StoredRow, mac: string): Promise<void> {
  const where = sql.join(ROW_KEYS[table].map((column) => sql`${sql.ref(column)} = ${row[column]}`), sql` and `)
  await sql`update ${sql.table(table)} set row_mac = ${mac} where ${where}`.execute(trx)
}

/** Whether any authenticated row carries a MAC (integrity was enabled on this database). */
export async function anyRowMacSet(db: Executor): Promise<boolean> {
  for (const table of Object.keys(ROW_KEYS) as AuthenticatedTable[]) {
    const { rows } = await sql`select 1 from ${sql.table(table)} where row_mac is not null limit 1`.execute(db)
    if (rows.length > 0) return true
  }
  return false
}
