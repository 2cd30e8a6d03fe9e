/**
 * Leases due outbox rows for one worker, the same way for every chain outbox (EVM, Solana,
 * webhooks): rows in one of `states` whose next_attempt_at has come get attempts + 1 and
 * next_attempt_at = now + leaseMs, atomically, so a crashed worker's rows come back after the
 * lease and two workers never hold one row. PostgreSQL: FOR UPDATE SKIP LOCKED (workers do not
 * wait on each other); SQLite: inside a write transaction (BEGIN IMMEDIATE: one writer at a time).
 */
import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'

export type ClaimSpec = Readonly<{
  table: 'evm_transactions' | 'solana_transactions' | 'webhook_deliveries'
  /** Columns that identify a row. */
  key: readonly string[]
  states: readonly string[]
  now: number
  limit: number
  leaseMs: number
  /** An extra equality filter (e.g. chain_id). */
  where?: Readonly<{ column: string; value: string | number }>
}>

export async function claimDue<Row>(db: Kysely<Database>, dialect: StoreDialect, spec: ClaimSpec): Promise<Row[]> {
  const table = sql.table(spec.table)
  const keyList = sql.join(spec.key.map((k) => sql.ref(k)))
  const filter = spec.where === undefined ? sql`` : sql`and ${sql.ref(spec.where.column)} = ${spec.where.value}`
  const due = sql`state in (${sql.join(spec.states.map((s) => sql`${s}`))}) and next_attempt_at <= ${spec.now} ${filter}`
  const lease = spec.now + spec.leaseMs
  if (dialect === 'postgres') {
    const joinOn = sql.join(spec.key.map((k) => sql`t.${sql.ref(k)} = due.${sql.ref(k)}`), sql` and `)
    const { rows } = await sql<Row>`
      with due as (select ${keyList} from ${table} where ${due} order by next_attempt_at, ${keyList} limit ${spec.limit} for update skip locked)
      update ${table} as t set attempts = t.attempts + 1, next_attempt_at = ${lease}, updated_at = ${spec.now}
      from due where ${joinOn}
      returning t.*`.execute(db)
    return rows
  }
  return db.transaction().execute(async (trx) => {
    const { rows: keys } = await sql<Record<string, unknown>>`select ${keyList} from ${table} where ${due} order by next_attempt_at, ${keyList} limit ${spec.limit}`.execute(trx)
    const claimed: Row[] = []
    for (const key of keys) {
      const match = sql.join(spec.key.map((k) => sql`${sql.ref(k)} = ${key[k]}`), sql` and `)
      const { rows } = await sql<Row>`update ${table} set attempts = attempts + 1, next_attempt_at = ${lease}, updated_at = ${spec.now} where ${match} returning *`.execute(trx)
      claimed.push(...rows)
    }
    return claimed
  })
}
