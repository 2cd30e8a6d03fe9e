/**
 * One batch of a data-key rotation, committed atomically: select up to `limit` rows of one secret
 * column whose ciphertext still names the source key (after a keyset cursor; PostgreSQL locks
 * them FOR UPDATE SKIP LOCKED so several workers and instances share the work), re-encrypt each
 * under the active key, write it back only if the stored value is still the one read
 * (compare-and-set), count the encryptions against the nonce budget and advance the progress row.
 * Rows that fail to decrypt stay as they are and are audited (`secret.decrypt-failed`) in the batch.
 * A crash loses at most this uncommitted batch; running again picks the rows up.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely'
import { isCoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import type { Database } from '../../store/schema.ts'
import type { SecretColumn } from '../../store/secretColumns.ts'
import { nowOf, type RotationDeps } from './rotationDeps.ts'
import { dataKeyPattern, LIKE_ESCAPE } from './secretReferences.ts'

export type BatchResult = {
  /** Rows selected (0 = this column is drained past the cursor). */
  readonly scanned: number
  readonly rewritten: number
  /** Key values of the last row selected: the next batch starts after it. */
  readonly cursor: readonly unknown[] | null
  readonly failures: readonly string[]
}

type Row = Record<string, unknown>
const columnTypes = new Map<string, string>()

export async function reencryptBatch(deps: RotationDeps, column: SecretColumn, sourceKeyId: string, cursor: readonly unknown[] | null, limit: number): Promise<BatchResult> {
  // Everything the transaction needs is loaded before it opens: the source key is unwrapped here,
  // and room for at least one re-encryption is reserved on the active key (rotating it if spent).
  await deps.keyring.loadDataKey(sourceKeyId)
  for (let attempt = 0; ; attempt += 1) {
    const sealer = await deps.keyring.sealerFor(1)
    try {
      const result = await deps.db.transaction().execute(async (trx) => {
        const rows = await selectRows(deps, trx, column, sourceKeyId, cursor, limit)
        const updates: { keys: unknown[]; old: string; next: string }[] = []
        const failures: string[] = []
        const audit: AuditEntry[] = []
        let processed = 0
        for (const row of rows) {
          // The active key has no room left: the rows after this one go to the next batch.
          if (!sealer.take(1)) break
          processed += 1
          const old = row[column.column] as string
          const place = { table: column.table, column: column.column, row: column.rowIdentity(row) }
          const keys = column.keyColumns.map((k) => row[k])
          let plaintext: Uint8Array
          try {
            plaintext = await deps.keyring.decrypt(old, place, trx)
          } catch (error) {
            const code = isCoffreError(error) ? error.code : 'COFFRE_INTERNAL'
            failures.push(`${column.table}.${column.column} ${keys.join('/')}: ${code}`)
            audit.push(decryptFailure(deps, column, sourceKeyId, code, row))
            continue
          }
          try {
            updates.push({ keys, old, next: sealer.seal(plaintext, place) })
          } finally {
            plaintext.fill(0)
          }
        }
        const rewritten = await writeRows(deps, trx, column, updates)
        await sealer.commit(trx)
        if (rewritten > 0) {
          await trx
            .updateTable('rotation_progress')
            .set((eb) => ({ done_rows: eb('done_rows', '+', rewritten), updated_at: nowOf(deps).toISOString() }))
            .where('data_key_id', '=', sourceKeyId)
            .execute()
        }
        await appendAuditEntries(trx, deps.dialect, audit)
        const last = rows[processed - 1]
        return { scanned: processed, rewritten, cursor: last === undefined ? cursor : column.keyColumns.map((k) => last[k]), failures }
      })
      sealer.settle(true)
      return result
    } catch (error) {
      sealer.settle(false)
      const retryable = isCoffreError(error) && error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' && error.details?.retryable === true
      if (!retryable || attempt >= 8) throw error
      await deps.keyring.refresh() // another process rotated the active key or spent it: seal under the then active one
    }
  }
}

/** A secret that would not decrypt during rotation is left in place and audited (never its value). */
function decryptFailure(deps: RotationDeps, column: SecretColumn, dataKeyId: string, code: string, row: Row): AuditEntry {
  const userId = column.table === 'users' ? row.id : row.user_id
  return {
    action: 'secret.decrypt-failed',
    actor: deps.actor,
    userId: typeof userId === 'string' ? userId : null,
    subject: `${column.table}.${column.column}`,
    details: { purpose: 'rotation', dataKeyId, code },
  }
}

async function selectRows(deps: RotationDeps, trx: Transaction<Database>, column: SecretColumn, sourceKeyId: string, cursor: readonly unknown[] | null, limit: number): Promise<Row[]> {
  const selected = [...new Set([...column.keyColumns, ...column.identityColumns, column.column])]
  const keyTuple = sql.join(column.keyColumns.map((k) => sql.ref(k)))
  const after = cursor === null ? sql`` : sql` and (${keyTuple}) > (${sql.join(cursor.map((v) => sql`${v}`))})`
  const lock = deps.dialect === 'postgres' ? sql` for update skip locked` : sql``
  const { rows } = await sql<Row>`select ${sql.join(selected.map((c) => sql.ref(c)))} from ${sql.table(column.table)} where ${sql.ref(column.column)} like ${dataKeyPattern(sourceKeyId)} escape ${LIKE_ESCAPE}${after} order by ${keyTuple} limit ${limit}${lock}`.execute(trx)
  return rows
}

async function writeRows(deps: RotationDeps, trx: Transaction<Database>, column: SecretColumn, updates: readonly { keys: unknown[]; old: string; next: string }[]): Promise<number> {
  if (updates.length === 0) return 0
  const target = sql.ref(column.column)
  if (deps.dialect === 'sqlite') {
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
