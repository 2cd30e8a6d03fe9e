import { SECP256K1_ORDER } from './curveOrder.ts'
import { invalidInput } from '../errors.ts'

/**
 * The seed's reduction: `scalar = (mac read as a big-endian integer) mod (n − 1) + 1`, which always
 * lands in [1, n − 1], so every 32-byte MAC gives a valid private key (no retry loop, no rejection).
 * Returns a fresh 32-byte big-endian scalar; the caller wipes it.
 */
export function reduceMacToScalar(mac: Uint8Array): Uint8Array {
  if (!(mac instanceof Uint8Array) || mac.length !== 32) throw invalidInput('mac must be 32 bytes')
  const value = BigInt(`0x${Buffer.from(mac.buffer, mac.byteOffset, 32).toString('hex')}`)
  const scalar = (value % (SECP256K1_ORDER - 1n)) + 1n
  return Uint8Array.from(Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex'))
}
