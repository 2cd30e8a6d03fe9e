/** A rule's velocity conditions, compiled, and the charge each makes for one request. */
import { undecodable } from '../decode/undecodable.ts'
import { bucketWidthMs, scaleAmounts, unitsFor, VELOCITY_SLOTS, type VelocityCharge } from '../velocity.ts'
import type { RequestContext } from './requestContext.ts'
import { requestSpends } from './spends.ts'

export type VelocitySpec = {
  readonly ruleId: string
  readonly counter: string
  readonly windowSeconds: number
  readonly limit: bigint
  readonly measure: 'count' | 'amount'
  /** Lowercase EVM address, Solana mint, 'native' or 'notional'. */
  readonly asset: string | undefined
}

const unitsBySpec = new WeakMap<VelocitySpec, ReturnType<typeof unitsFor>>()

const isSolanaMint = (asset: string) => asset !== 'native' && asset !== 'notional' && !asset.startsWith('0x')

/** The charge, or null when the request spends none of the measured asset. */
export function chargeFor(spec: VelocitySpec, ctx: RequestContext): VelocityCharge | null {
  let amount = 1n
  let what = 'count'
  if (spec.measure === 'amount') {
    amount = 0n
    let chainKey: string | undefined
    for (const spend of requestSpends(ctx, spec.asset!)) {
      if (spend.asset === undefined && isSolanaMint(spec.asset!)) return undecodable('an SPL transfer does not name its mint, so its amount cannot be counted')
      if (spend.asset !== spec.asset) continue
      if (spend.amount === undefined) return undecodable('a transfer moves an amount it does not state, so it cannot be counted')
      amount += spend.amount
      chainKey = spend.chainKey
    }
    if (chainKey === undefined || amount === 0n) return null
    what = `${chainKey}:${spec.asset}`
  }
  let units = unitsBySpec.get(spec)
  if (units === undefined) unitsBySpec.set(spec, (units = unitsFor(spec.limit)))
  const scaled = scaleAmounts(amount, spec.limit, units)
  const bucketMs = bucketWidthMs(spec.windowSeconds)
  const bucket = Math.floor(ctx.now / bucketMs)
  return {
    ruleId: spec.ruleId,
    key: `${spec.counter}|${ctx.user.id}|${what}|${spec.windowSeconds}s`,
    windowSeconds: spec.windowSeconds,
    bucketMs,
    bucket,
    slot: bucket % VELOCITY_SLOTS,
    amount: scaled.amount,
    limit: scaled.limit,
    scale: scaled.scale,
  }
}
