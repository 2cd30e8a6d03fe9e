/**
 * The SQL of data-key rotation over any registered secret column (secretColumns.ts): find the
 * ciphertexts under a key (a LIKE on their `cf1.<dataKeyId>.` prefix, built by the caller), select
 * a batch of them, and write re-encrypted values back with compare-and-set.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { StoreDialect } from './dialect.ts'
import type { Database } from './schema.ts'
import type { SecretColumn } from './secretColumns.ts'

type Executor = Kysely<Database> | Transaction<Database>
export type SecretRow = Record<string, unknown>
export type SecretUpdate = { readonly keys: unknown[]; readonly old: string; readonly next: string }

/** The escape character of the LIKE patterns. */
export const LIKE_ESCAPE = '\\'

const columnTypes = new Map<string, string>()

/** How many values of `column` match `pattern`. */
export async function countSecretsMatching(db: Executor, column: SecretColumn, pattern: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(column.table)} where ${sql.ref(column.column)} like ${pattern} escape ${LIKE_ESCAPE}`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

/** Up to `limit` rows of `column` whose ciphertext matches `pattern`, after the keyset `cursor` (PostgreSQL: locked, skipping rows another worker holds). */
export async function selectSecretRows(trx: Transaction<Database>, dialect: StoreDialect, column: SecretColumn, pattern: string, cursor: readonly unknown[] | null, limit: number): Promise<SecretRow[]> {
  const selected = [...new Set([...column.keyColumns, ...column.identityColumns, column.column])]
  const keyTuple = sql.join(column.keyColumns.map((k) => sql.ref(k)))
  const after = cursor === null ? sql`` : sql` and (${keyTuple}) > (${sql.join(cursor.map((v) => sql`${v}`))})`
  const lock = dialect === 'postgres' ? sql` for update skip locked` : sql``
  const { rows } = await sql<SecretRow>`select ${sql.join(selected.map((c) => sql.ref(c)))} from ${sql.table(column.table)} where ${sql.ref(column.column)} like ${pattern} escape ${LIKE_ESCAPE}${after} order by ${keyTuple} limit ${limit}${lock}`.execute(trx)
  return rows
}

/** Writes each new ciphertext only where the stored one is still the one read (compare-and-set); returns how many were written. */
export async function compareAndSetSecrets(trx: Transaction<Database>, dialect: StoreDialect, column: SecretColumn, updates: readonly SecretUpdate[]): Promise<number> {
  if (updates.length === 0) return 0
  const target = sql.ref(column.column)
  if (dialect === 'sqlite') {
    let n = 0
    for (const u of updates) {
      const match = sql.join(column.keyColumns.map((k, i) => sql`${sql.ref(k)} = ${u.keys[i]}`), sql` and `)
      const result = await sql`update ${sql.table(column.table)} set ${target} = ${u.next} where ${match} and ${target} = ${u.old}`.execute(trx)
      n += Number(result.numAffectedRows ?? 0n)
    }
    return n
  }
  // PostgreSQL: one UPDATE … FROM (VALUES …) per batch; VALUES params arrive as text, so key
  // columns of other types are cast to their declared type.
  const types = await Promise.all(column.keyColumns.map((k) => columnType(trx, column.table, k)))
  const names = [...column.keyColumns.map((_, i) => `k${i}`), 'old_value', 'new_value']
  const values = sql.join(updates.map((u) => sql`(${sql.join([...u.keys, u.old, u.next].map((v) => sql`${v}`))})`))
  const match = sql.join(column.keyColumns.map((k, i) => sql`t.${sql.ref(k)} = cast(v.${sql.ref(`k${i}`)} as ${sql.raw(types[i] as string)})`), sql` and `)
  const result = await sql`update ${sql.table(column.table)} as t set ${target} = v.new_value from (values ${values}) as v(${sql.join(names.map((n) => sql.ref(n)))}) where ${match} and t.${target} = v.old_value`.execute(trx)
  return Number(result.numAffectedRows ?? 0n)
}

async function columnType(trx: Transaction<Database>, table: string, column: string): Promise<string> {
  const key = `${table}.${column}`
  const known = columnTypes.get(key)
  if (known !== undefined) return known
  const { rows } = await sql<{ t: string }>`select format_type(a.atttypid, a.atttypmod) as t from pg_attribute a where a.attrelid = to_regclass(${table}) and a.attname = ${column}`.execute(trx)
  const type = rows[0]?.t ?? 'text'
  if (!/^[a-z][a-z0-9 _()]*$/.test(type)) return 'text'
  columnTypes.set(key, type)
  return type
}
