/** Reading EIP-712 message values by declared type, as the hasher accepts them; anything else is Undecodable. */
import { typedDataInteger } from './quantity.ts'
import { undecodable } from './undecodable.ts'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/
const INTEGER_TYPE = /^(u?)int([0-9]+)$/

export type Record_ = Readonly<Record<string, unknown>>

export const ownField = (record: unknown, key: string): unknown =>
  typeof record === 'object' && record !== null && !Array.isArray(record) && Object.hasOwn(record, key) ? (record as Record_)[key] : undefined

export function readAddress(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ADDRESS.test(value)) return undecodable(`${what} is not an address`)
  return value.toLowerCase()
}

export function readUint(value: unknown, what: string, bits = 256): bigint {
  const n = typedDataInteger(value)
  if (n === undefined || n < 0n || n >= 1n << BigInt(bits)) return undecodable(`${what} is not a uint${bits}`)
  return n
}

/**
 * A scalar in canonical form for comparisons: addresses and bytes lowercase hex, integers as
 * bigints, strings as is, bools as booleans. `undefined` when the type is not a scalar.
 */
export function canonicalScalar(type: string, value: unknown, what: string): string | bigint | boolean | undefined {
  if (type === 'address') return readAddress(value, what)
  if (type === 'string') return typeof value === 'string' ? value : undecodable(`${what} is not a string`)
  if (type === 'bool') return typeof value === 'boolean' ? value : undecodable(`${what} is not a bool`)
  if (type === 'bytes' || /^bytes[0-9]+$/.test(type)) return typeof value === 'string' && HEX_BYTES.test(value) ? value.toLowerCase() : undecodable(`${what} is not hex bytes`)
  const integer = INTEGER_TYPE.exec(type)
  if (integer !== null) {
    const n = typedDataInteger(value)
    return n === undefined ? undecodable(`${what} is not an integer`) : n
  }
  return undefined
}
