/**
 * A random order salt. The CLOB's JSON carries the salt as a JSON number (the official client
 * sends `parseInt(salt)`), so it must stay within Number.MAX_SAFE_INTEGER to survive the trip.
 */
import { randomBytes } from 'node:crypto'

export function randomOrderSalt(): string {
  const value = BigInt(`0x${randomBytes(8).toString('hex')}`) & ((1n << 53n) - 1n)
  return value.toString()
}
