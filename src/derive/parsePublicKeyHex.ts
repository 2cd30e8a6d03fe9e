import { secp256k1 } from '../crypto/secp256k1.ts'
import { invalidInput } from '../errors.ts'

const COMPRESSED_PUBLIC_KEY_HEX = /^(?:0[xX])?(0[23][0-9a-fA-F]{64})$/

export type PublicKeyInput = { readonly hex: string; readonly bytes: Uint8Array }

/**
 * The cheap half of public-key validation: a string of 66 hex characters (either case, optional 0x)
 * starting 02 or 03. Returns the lowercase hex and its 33 bytes. Whether the bytes are a point on the
 * curve is `assertOnCurve`'s job: a lookup can answer a hit before paying for it, because every key
 * an index holds was produced by libsecp256k1 and is therefore a valid point.
 */
export function parsePublicKeyShape(value: unknown, field = 'publicKey'): PublicKeyInput {
  if (typeof value !== 'string') throw invalidInput(`${field} must be a hex string`, { field })
  const match = COMPRESSED_PUBLIC_KEY_HEX.exec(value)
  if (match === null || match[1] === undefined) {
    throw invalidInput(`${field} must be a compressed secp256k1 public key: 66 hex characters starting 02 or 03`, { field })
  }
  const hex = match[1].toLowerCase()
  return { hex, bytes: Buffer.from(hex, 'hex') }
}

/** Throws COFFRE_INVALID_INPUT unless the 33 bytes decode to a point of secp256k1 (libsecp256k1's parser). */
export function assertOnCurve(key: PublicKeyInput, field = 'publicKey'): void {
  if (!secp256k1.publicKeyVerify(key.bytes)) {
    throw invalidInput(`${field} is not a point on secp256k1`, { field })
  }
}

/** Full validation: shape, then curve membership. */
export function parsePublicKeyHex(value: unknown, field = 'publicKey'): PublicKeyInput {
  const key = parsePublicKeyShape(value, field)
  assertOnCurve(key, field)
  return key
}
