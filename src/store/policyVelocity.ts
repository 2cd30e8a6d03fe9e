/**
 * `policy_velocity`: the rolling-window counters of velocity limits, charged with one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` per charge — the statement and its proof of
 * atomicity across instances are in src/policy/velocity.ts. Run inside the transaction that also
 * appends the audit entry of the action the charge pays for.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'
import { VELOCITY_COLUMN_COUNT } from './velocityColumns.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** What the store needs of a charge (structurally a src/policy VelocityCharge). */
export type VelocityChargeRow = { readonly key: string; readonly bucket: number; readonly slot: number; readonly amount: number; readonly limit: number }

const SLOTS = Array.from({ length: VELOCITY_COLUMN_COUNT }, (_, i) => i)

function assertCharge(charge: VelocityChargeRow): void {
  const ints = [charge.bucket, charge.slot, charge.amount, charge.limit]
  if (!ints.every((n) => Number.isSafeInteger(n) && n >= 0) || charge.slot >= VELOCITY_COLUMN_COUNT || charge.slot !== charge.bucket % VELOCITY_COLUMN_COUNT) {
    throw new RangeError('velocity charge: bucket, slot, amount and limit must be non-negative safe integers with slot = bucket mod 25')
  }
}

/** Adds the charge if the window total stays within its limit; false (nothing written) otherwise. */
export async function chargeVelocity(db: Executor, charge: VelocityChargeRow): Promise<boolean> {
  assertCharge(charge)
  const { key, bucket: n, amount: a, limit } = charge
  const s = sql.ref(`s${charge.slot}`)
  const b = sql.ref(`b${charge.slot}`)
  const old = (column: string) => sql.ref(`policy_velocity.${column}`)
  const windowSum = sql.join(
    SLOTS.map((i) => sql`CASE WHEN ${old(`b${i}`)} > ${n - VELOCITY_COLUMN_COUNT} THEN ${old(`s${i}`)} ELSE 0 END`),
    sql` + `,
  )
  const result = await sql<{ key: string }>`
    INSERT INTO policy_velocity (key, ${s}, ${b}) VALUES (${key}, ${a}, ${n})
    ON CONFLICT (key) DO UPDATE SET
      ${s} = (CASE WHEN ${old(`b${charge.slot}`)} >= ${n} THEN ${old(`s${charge.slot}`)} ELSE 0 END) + ${a},
      ${b} = CASE WHEN ${old(`b${charge.slot}`)} > ${n} THEN ${old(`b${charge.slot}`)} ELSE ${n} END
    WHERE (${windowSum}) + ${a} <= ${limit}
    RETURNING key`.execute(db)
  return result.rows.length === 1
}

/**
 * Takes back a charge this same transaction applied (another charge of the request was refused).
 * Exact under the row lock the charge took: the slot's sum goes back to what it was, or to 0 when
 * the charge had recycled an expired slot (equivalent: that bucket was outside every window).
 */
export async function refundVelocity(db: Executor, charge: VelocityChargeRow): Promise<void> {
  assertCharge(charge)
  const s = sql.ref(`s${charge.slot}`)
  await sql`UPDATE policy_velocity SET ${s} = ${s} - ${charge.amount} WHERE key = ${charge.key}`.execute(db)
}

/** The stored row of a key (tests and dry runs): sums and buckets as numbers. */
export async function readVelocityRow(db: Executor, key: string): Promise<{ sums: number[]; buckets: number[] } | undefined> {
  const row = (await sql<Record<string, string | number>>`SELECT * FROM policy_velocity WHERE key = ${key}`.execute(db)).rows[0]
  if (row === undefined) return undefined
  return { sums: SLOTS.map((i) => Number(row[`s${i}`])), buckets: SLOTS.map((i) => Number(row[`b${i}`])) }
}
