/**
 * The value vocabulary of policy documents, as zod schemas that also normalise: EVM addresses
 * lowercased, Solana addresses kept (base58 is case-sensitive), amounts as bigints in base
 * units, windows in seconds, instants in unix milliseconds, `$user.<field>` references kept
 * as references (resolved per request by the evaluator).
 */
import { isAddress as isSolanaAddress } from '@solana/kit'
import { isAddress as isEvmAddress } from 'viem'
import { z } from 'zod'
import { userFieldOf } from '../policyUser.ts'

export const MAX_SET_SIZE = 1000
const MAX_UINT256 = (1n << 256n) - 1n

const userRef = (value: string) => userFieldOf(value) !== undefined
const userRefMessage = 'expected a $user reference: $user.id, .polygonAddress, .solanaAddress, .proxyWallet, .safeWallet or .withdrawalAllowlist'

const refOr = (test: (value: string) => boolean, what: string) =>
  z.string().max(128).refine((value) => (value.startsWith('$') ? userRef(value) : test(value)), {
    error: (issue) => (typeof issue.input === 'string' && issue.input.startsWith('$') ? userRefMessage : `expected ${what} or a $user reference`),
  })

const evm = (value: string) => isEvmAddress(value)
const solana = (value: string) => isSolanaAddress(value)
const lowerEvm = (value: string) => (value.startsWith('0x') ? value.toLowerCase() : value)

/** An EVM address (EIP-55 checksum if mixed case) or a $user reference. */
export const evmAddressItem = refOr(evm, 'a 20-byte 0x address (EIP-55 checksum if mixed case)').transform(lowerEvm)
/** A Solana address (base58, 32 bytes) or a $user reference. */
export const solanaAddressItem = refOr(solana, 'a base58 Solana address')
/** Either kind of address (withdrawal allowlists hold both). */
export const anyAddressItem = refOr((value) => evm(value) || solana(value), 'an EVM or Solana address').transform(lowerEvm)

function setOf<T extends z.ZodType>(item: T) {
  const list = z.array(item).min(1).max(MAX_SET_SIZE)
  return z
    .strictObject({ eq: item.optional(), in: list.optional(), notIn: list.optional() })
    .refine((set) => [set.eq, set.in, set.notIn].filter((part) => part !== undefined).length === 1, 'give exactly one of eq, in, notIn')
    .transform((set) => (set.notIn !== undefined ? { notIn: set.notIn as z.output<T>[] } : { in: (set.in ?? [set.eq]) as z.output<T>[] }))
}

export type SetSpec<T> = { in: T[]; notIn?: undefined } | { notIn: T[]; in?: undefined }

export const evmAddressSet = setOf(evmAddressItem)
export const solanaAddressSet = setOf(solanaAddressItem)
export const anyAddressSet = setOf(anyAddressItem)
export const stringSet = setOf(z.string().max(256))
export const chainIdSet = setOf(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
export const smallIntSet = setOf(z.number().int().min(0).max(255))
export const uintSet = setOf(z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'expected a decimal integer string').transform((value) => BigInt(value)))

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/

/** Base units: a decimal integer string, or `{ value: "1.5", decimals: 6 }` (exact, no rounding). */
export const amount = z
  .union([
    z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'expected base units as a decimal integer string (or { value, decimals })').transform((value) => BigInt(value)),
    z
      .strictObject({ value: z.string().max(100).regex(DECIMAL, 'expected a decimal number such as "1.5"'), decimals: z.number().int().min(0).max(36) })
      .transform((parsed, context) => {
        const [whole = '0', fraction = ''] = parsed.value.split('.')
        if (fraction.length > parsed.decimals) {
          context.addIssue({ code: 'custom', message: `more than ${parsed.decimals} decimals` })
          return z.NEVER
        }
        return BigInt(whole + fraction.padEnd(parsed.decimals, '0'))
      }),
  ])
  .refine((value) => value <= MAX_UINT256, 'must be at most 2^256 − 1')

/** A price or ratio as an exact decimal ("0.95"), kept as numerator / 10^scale. */
export const decimalNumber = z
  .string()
  .max(40)
  .regex(DECIMAL, 'expected a decimal number such as "0.95"')
  .transform((value) => {
    const [whole = '0', fraction = ''] = value.split('.')
    return { numerator: BigInt(whole + fraction), scale: fraction.length }
  })
export type Decimal = z.output<typeof decimalNumber>

function rangeOf<T extends z.ZodType>(bound: T) {
  return z
    .strictObject({ lte: bound.optional(), gte: bound.optional() })
    .refine((range) => range.lte !== undefined || range.gte !== undefined, 'give lte, gte or both')
    .transform((range) => range as { lte?: z.output<T>; gte?: z.output<T> })
}
export const amountRange = rangeOf(amount)
export const decimalRange = rangeOf(decimalNumber)
export type AmountRange = z.output<typeof amountRange>
export type DecimalRange = z.output<typeof decimalRange>

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }
export const MAX_WINDOW_SECONDS = 366 * 86400

/** A rolling window: seconds, or "90s", "15m", "24h", "7d". */
export const windowSeconds = z
  .union([z.number().int(), z.string().regex(/^[1-9][0-9]{0,7}[smhd]$/, 'expected a duration such as "60s", "15m", "24h" or "7d"').transform((value) => Number(value.slice(0, -1)) * UNIT_SECONDS[value.slice(-1)]!)])
  .refine((seconds) => seconds >= 1 && seconds <= MAX_WINDOW_SECONDS, 'a window lasts between 1 second and 366 days')

/** An instant: unix seconds, or an ISO 8601 date-time with a zone; returned as unix milliseconds. */
export const instant = z.union([
  z.number().int().min(0).max(253402300799).transform((seconds) => seconds * 1000),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
])
