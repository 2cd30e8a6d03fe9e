/**
 * polymarket-order: one condition for orders whether they come through the order route or as
 * typed data. Price compares exactly: notional / shares against a decimal, cross-multiplied.
 */
import type { Condition } from '../schema/conditions.ts'
import type { Decimal, DecimalRange } from '../schema/values.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileSet, inRange } from './sets.ts'

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>

/** notional / shares compared with numerator / 10^scale without division: −1, 0 or 1. */
function comparePrice(notional: bigint, shares: bigint, price: Decimal): number {
  const left = notional * 10n ** BigInt(price.scale)
  const right = price.numerator * shares
  return left < right ? -1 : left > right ? 1 : 0
}

const priceInRange = (range: DecimalRange, notional: bigint, shares: bigint) =>
  shares > 0n && (range.lte === undefined || comparePrice(notional, shares, range.lte) <= 0) && (range.gte === undefined || comparePrice(notional, shares, range.gte) >= 0)

export function compilePolymarketOrder(condition: Of<'polymarket-order'>): CompiledCondition {
  const maker = condition.maker === undefined ? undefined : compileSet(condition.maker)
  const signer = condition.signer === undefined ? undefined : compileSet(condition.signer)
  const exchange = condition.exchange === undefined ? undefined : compileSet(condition.exchange)
  const tokenId = condition.tokenId === undefined ? undefined : compileSet(condition.tokenId)
  const signatureType = condition.signatureType === undefined ? undefined : compileSet(condition.signatureType)
  const sides = condition.side === undefined ? undefined : new Set<string>(condition.side)
  return (ctx) => {
    const order = ctx.order()
    if (order === null) return false
    if (maker !== undefined && !maker(order.maker, ctx)) return false
    if (signer !== undefined && !signer(order.signer, ctx)) return false
    if (exchange !== undefined && !exchange(order.exchange, ctx)) return false
    if (tokenId !== undefined && !tokenId(order.tokenId, ctx)) return false
    if (signatureType !== undefined && !signatureType(order.signatureType, ctx)) return false
    if (sides !== undefined && !sides.has(order.side)) return false
    if (condition.negRisk !== undefined && order.negRisk !== condition.negRisk) return false
    if (condition.notional !== undefined && !inRange(condition.notional, order.notional)) return false
    if (condition.shares !== undefined && !inRange(condition.shares, order.shares)) return false
    return condition.price === undefined || priceInRange(condition.price, order.notional, order.shares)
  }
}
