/**
 * Maker and taker amounts (6-decimal base units) of a V2 order from price, size and tick
 * size, with the official client's rounding: price rounded to the tick's decimals, size
 * down to 2 decimals, the derived amount up at (amount + 4) decimals then down to the
 * amount decimals. BUY pays collateral (maker) for shares (taker); SELL the reverse.
 */
import { parseUnits } from 'viem'
import { invalidInput } from '../errors.ts'
import { decimalPlaces, roundDown, roundNormal, roundUp } from './decimalRounding.ts'

export type Side = 'BUY' | 'SELL'
export type TickSize = '0.1' | '0.01' | '0.005' | '0.0025' | '0.001' | '0.0001'
export type RoundingConfig = Readonly<{ price: number; size: number; amount: number }>

export const ROUNDING_CONFIG: Readonly<Record<TickSize, RoundingConfig>> = Object.freeze({
  '0.1': { price: 1, size: 2, amount: 3 },
  '0.01': { price: 2, size: 2, amount: 4 },
  '0.005': { price: 3, size: 2, amount: 5 },
  '0.0025': { price: 4, size: 2, amount: 6 },
  '0.001': { price: 3, size: 2, amount: 5 },
  '0.0001': { price: 4, size: 2, amount: 6 },
})

const COLLATERAL_DECIMALS = 6

export type OrderAmounts = { makerAmount: string; takerAmount: string }

function roundingFor(tickSize: unknown): RoundingConfig {
  if (typeof tickSize !== 'string' || !Object.hasOwn(ROUNDING_CONFIG, tickSize)) {
    throw invalidInput('tickSize must be one of 0.1, 0.01, 0.005, 0.0025, 0.001, 0.0001')
  }
  return ROUNDING_CONFIG[tickSize as TickSize]
}

function checkSide(side: unknown): asserts side is Side {
  if (side !== 'BUY' && side !== 'SELL') throw invalidInput('side must be BUY or SELL')
}

function checkPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalidInput(`${name} must be a positive number`)
}

/** The client's price check: tick ≤ price ≤ 1 − tick. */
export function checkPrice(price: unknown, tickSize: TickSize): asserts price is number {
  checkPositive('price', price)
  const tick = parseFloat(tickSize)
  if (price < tick || price > 1 - tick) throw invalidInput(`price must be between ${tick} and ${1 - tick}`)
}

function derivedAmount(raw: number, config: RoundingConfig): number {
  if (decimalPlaces(raw) <= config.amount) return raw
  const up = roundUp(raw, config.amount + 4)
  return decimalPlaces(up) > config.amount ? roundDown(up, config.amount) : up
}

/** 6-decimal base units; a value JavaScript prints in exponent form (1e-7, 1e+21) is no order amount. */
function units(raw: number): bigint {
  const text = raw.toString()
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw invalidInput(`order amount ${text} is out of range (too small or too large)`)
  return parseUnits(text, COLLATERAL_DECIMALS)
}

function toUnits(makerRaw: number, takerRaw: number): OrderAmounts {
  const makerAmount = units(makerRaw)
  const takerAmount = units(takerRaw)
  if (makerAmount <= 0n || takerAmount <= 0n) throw invalidInput('order amounts round to zero')
  return { makerAmount: makerAmount.toString(), takerAmount: takerAmount.toString() }
}

/** Limit order: `size` is in shares. */
export function limitOrderAmounts(args: { side: Side; price: number; size: number; tickSize: TickSize }): OrderAmounts {
  checkSide(args?.side)
  const config = roundingFor(args.tickSize)
  checkPrice(args.price, args.tickSize)
  checkPositive('size', args.size)
  const price = roundNormal(args.price, config.price)
  const shares = roundDown(args.size, config.size)
  const notional = derivedAmount(shares * price, config)
  return args.side === 'BUY' ? toUnits(notional, shares) : toUnits(shares, notional)
}

/** Market order: `amount` is collateral to spend for a BUY, shares to sell for a SELL. */
export function marketOrderAmounts(args: { side: Side; price: number; amount: number; tickSize: TickSize }): OrderAmounts {
  checkSide(args?.side)
  const config = roundingFor(args.tickSize)
  checkPrice(args.price, args.tickSize)
  checkPositive('amount', args.amount)
  const price = roundDown(args.price, config.price)
  const maker = roundDown(args.amount, config.size)
  const taker = derivedAmount(args.side === 'BUY' ? maker / price : maker * price, config)
  return toUnits(maker, taker)
}
