/**
 * The secp256k1 public key behind a 65-byte r‖s‖v signature over a 32-byte digest, recovered with
 * libsecp256k1 (the inverse of signDigest.ts). v may be 27/28 or 0/1. High-s signatures are
 * refused unless `allowHighS` (plain ECDSA accepts both s and n − s, so a second spelling of the
 * same signature exists; canonical checks want one). Failures are RangeErrors naming the problem;
 * callers turn them into their own typed refusals.
 */
import { secp256k1 } from '../../crypto/secp256k1.ts'

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

/** Compressed (33-byte) public key of the signer. */
export function recoverDigestSigner(digest: Uint8Array, signature: unknown, options: { allowHighS?: boolean } = {}): Uint8Array {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new TypeError('digest must be 32 bytes')
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new RangeError('must be 65 bytes of 0x-hex (r‖s‖v)')
  const bytes = Buffer.from(signature.slice(2), 'hex')
  const v = bytes[64] as number
  const recid = v >= 27 ? v - 27 : v
  if (recid !== 0 && recid !== 1) throw new RangeError(`has an invalid v (${v})`)
  if (options.allowHighS !== true && BigInt(`0x${bytes.subarray(32, 64).toString('hex')}`) > HALF_ORDER) throw new RangeError('is not in low-s form')
  try {
    return secp256k1.ecdsaRecover(bytes.subarray(0, 64), recid, digest, true)
  } catch {
    throw new RangeError('does not verify')
  }
}
