/**
 * Velocity limits — the contract between the pure evaluator and the store.
 *
 * The evaluator cannot count: it returns, with an allow or require-approval decision, the
 * CHARGES the decision depends on: one per velocity condition of every matching allow /
 * require-approval rule whose measure the request spends (a request spending none of an asset
 * is not charged for it). The vault applies them in the same database transaction as the
 * audit entry of the signature, in the order given, one statement each; if any is refused the
 * transaction rolls back, the request is denied by `charge.ruleId` (reason "velocity limit")
 * and that denial is audited instead. Charges of a request held for approval are applied when
 * it finally runs. Given current totals (`velocityTotals`), the evaluator makes the same
 * decision itself (dry runs, the reference semantics in tests).
 *
 * Counting: a rolling window of W seconds is cut into 24 buckets of ceil(W·1000/24) ms; a key
 * keeps the sums of its last 25 buckets in ONE row (a ring: bucket j lives in slot j mod 25).
 * A charge at bucket j is accepted iff the sum of every slot holding a bucket > j − 25, plus the
 * charge, is at most the limit. The 25 buckets span at least W, so no rolling window of W ever
 * holds more than the limit; the price is that a spend is forgotten up to one bucket (W/24)
 * later than an exact log would. Amounts and limits are integers in `10^scale` base units
 * (limit rounded down, amount up, both ≤ 10^15 so they fit BIGINT and JS numbers exactly).
 *
 * One SQL statement per charge, the same on PostgreSQL and SQLite (UPSERT … WHERE … RETURNING),
 * with k = charge.slot, n = charge.bucket, a = charge.amount, L = charge.limit:
 *
 *   INSERT INTO policy_velocity (key, s0..s24, b0..b24)
 *     VALUES (:key, s_k = a and 0 elsewhere, b_k = n and -1 elsewhere)
 *   ON CONFLICT (key) DO UPDATE SET
 *     s_k = (CASE WHEN policy_velocity.b_k >= n THEN policy_velocity.s_k ELSE 0 END) + a,
 *     b_k = CASE WHEN policy_velocity.b_k > n THEN policy_velocity.b_k ELSE n END
 *   WHERE (CASE WHEN policy_velocity.b0 > n - 25 THEN policy_velocity.s0 ELSE 0 END + …
 *          + CASE WHEN policy_velocity.b24 > n - 25 THEN policy_velocity.s24 ELSE 0 END) + a <= L
 *   RETURNING key            -- no row back: the limit is reached, deny
 *
 * Atomic across instances: on PostgreSQL, ON CONFLICT DO UPDATE locks the key's row and
 * evaluates the WHERE on its latest committed version (a concurrent charge waits for the
 * other's commit, then sees it), so concurrent requests on any number of instances never spend
 * together more than the limit; SQLite has a single writer. A charge is always ≤ its limit (the
 * evaluator denies a single request above it), so the INSERT branch needs no check. Instance
 * clocks must agree to well within a bucket (NTP); a slot holding a later bucket is added to,
 * never reset. `applyCharge` below is this statement as a pure function (tests hold the two
 * to the same answers and check the bound against an exact log).
 */
export const VELOCITY_BUCKETS_PER_WINDOW = 24
export const VELOCITY_SLOTS = VELOCITY_BUCKETS_PER_WINDOW + 1
const MAX_UNITS_DIGITS = 15

export type VelocityCharge = {
  /** The rule whose velocity condition this is (the deciding rule if the charge is refused). */
  readonly ruleId: string
  /** Counter identity: counter name, user, chain and asset (or "count"), window. */
  readonly key: string
  readonly windowSeconds: number
  readonly bucketMs: number
  /** floor(now / bucketMs). */
  readonly bucket: number
  /** bucket mod VELOCITY_SLOTS: the column pair the statement updates. */
  readonly slot: number
  /** This request's amount, in 10^scale base units, rounded up (1 for a count). */
  readonly amount: number
  /** The limit in the same units, rounded down. */
  readonly limit: number
  readonly scale: number
}

/** The row of one key: VELOCITY_SLOTS sums and the bucket each holds (-1: empty). */
export type VelocityRow = { readonly sums: readonly number[]; readonly buckets: readonly number[] }

export function bucketWidthMs(windowSeconds: number): number {
  return Math.ceil((windowSeconds * 1000) / VELOCITY_BUCKETS_PER_WINDOW)
}

/** The units a limit is counted in: 10^scale base units, so that the limit has at most 15 digits. */
export function unitsFor(limit: bigint): { scale: number; unit: bigint; scaledLimit: bigint } {
  const scale = Math.max(0, limit.toString().length - MAX_UNITS_DIGITS)
  const unit = 10n ** BigInt(scale)
  return { scale, unit, scaledLimit: limit / unit }
}

/** Limit and amount in shared units: ≤ 10^15, limit rounded down, amount up. */
export function scaleAmounts(amount: bigint, limit: bigint, units = unitsFor(limit)): { amount: number; limit: number; scale: number } {
  const { scale, unit, scaledLimit } = units
  const scaledAmount = (amount + unit - 1n) / unit
  // Capped so a huge request stays a safe number; it is over the limit either way.
  return { amount: Number(scaledAmount > scaledLimit + 1n ? scaledLimit + 1n : scaledAmount), limit: Number(scaledLimit), scale }
}

export function windowTotal(row: VelocityRow, bucket: number): number {
  let total = 0
  for (let i = 0; i < VELOCITY_SLOTS; i++) if (row.buckets[i]! > bucket - VELOCITY_SLOTS) total += row.sums[i]!
  return total
}

/** The store statement as a pure function: the new row, or null when the charge is refused. */
export function applyCharge(row: VelocityRow | undefined, charge: Pick<VelocityCharge, 'bucket' | 'amount' | 'limit'>): VelocityRow | null {
  const slot = charge.bucket % VELOCITY_SLOTS
  if (row === undefined) {
    const sums = new Array<number>(VELOCITY_SLOTS).fill(0)
    const buckets = new Array<number>(VELOCITY_SLOTS).fill(-1)
    sums[slot] = charge.amount
    buckets[slot] = charge.bucket
    return { sums, buckets }
  }
  if (windowTotal(row, charge.bucket) + charge.amount > charge.limit) return null
  const sums = [...row.sums]
  const buckets = [...row.buckets]
  sums[slot] = (buckets[slot]! >= charge.bucket ? sums[slot]! : 0) + charge.amount
  buckets[slot] = Math.max(buckets[slot]!, charge.bucket)
  return { sums, buckets }
}
