import { SECP256K1_ORDER } from './curveOrder.ts'
import { invalidInput } from '../errors.ts'

const MASK_64 = 0xffffffffffffffffn

/**
 * The seed's reduction: `scalar = (mac read as a big-endian integer) mod (n − 1) + 1`, which always
 * lands in [1, n − 1], so every 32-byte MAC gives a valid private key (no retry loop, no rejection).
 * Returns a fresh 32-byte big-endian scalar; the caller wipes it. Reads and writes the words through a
 * DataView rather than hex strings (this runs once per derived key).
 */
export function reduceMacToScalar(mac: Uint8Array): Uint8Array {
  if (!(mac instanceof Uint8Array) || mac.length !== 32) throw invalidInput('mac must be 32 bytes')
  const input = new DataView(mac.buffer, mac.byteOffset, 32)
  let value = 0n
  for (let offset = 0; offset < 32; offset += 8) value = (value << 64n) | input.getBigUint64(offset)
  let scalar = (value % (SECP256K1_ORDER - 1n)) + 1n
  const out = new Uint8Array(32)
  const output = new DataView(out.buffer)
  for (let offset = 24; offset >= 0; offset -= 8) {
    output.setBigUint64(offset, scalar & MASK_64)
    scalar >>= 64n
  }
  return out
}
