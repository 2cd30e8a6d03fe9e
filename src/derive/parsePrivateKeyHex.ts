import { secp256k1 } from '../crypto/secp256k1.ts'
import { invalidInput } from '../errors.ts'

const PRIVATE_KEY_HEX = /^(?:0[xX])?([0-9a-fA-F]{64})$/

/**
 * Parses a secp256k1 private key given as 64 hex characters (either case, optional 0x) into a fresh
 * 32-byte array the caller owns and wipes. Rejects 0 and values ≥ n. The message never echoes the value.
 */
export function parsePrivateKeyHex(value: unknown, field = 'privateKey'): Uint8Array {
  if (typeof value !== 'string') throw invalidInput(`${field} must be a hex string`, { field })
  const match = PRIVATE_KEY_HEX.exec(value)
  if (match === null || match[1] === undefined) {
    throw invalidInput(`${field} must be 64 hex characters, optionally prefixed with 0x`, { field })
  }
  const decoded = Buffer.from(match[1], 'hex') // small Buffers come from Node's shared pool: wipe after copying
  const bytes = Uint8Array.from(decoded)
  decoded.fill(0)
  if (!secp256k1.privateKeyVerify(bytes)) {
    bytes.fill(0)
    throw invalidInput(`${field} is not a valid secp256k1 private key (must be between 1 and n - 1)`, { field })
  }
  return bytes
}
