/**
 * A random order salt. The CLOB's JSON carries the salt as a JSON number (the official client
 * sends `parseInt(salt)`), so it must stay within Number.MAX_SAFE_INTEGER to survive the trip.
 */
import { randomBytes } from 'node:crypto'

export function randomOrderSalt(): string {
  const bytes = randomBytes(8)
  bytes[0] = (bytes[0] as number) & 0x1f
  return BigInt(`0x${bytes.toString('hex')}`).toString()
}
