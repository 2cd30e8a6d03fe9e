/**
 * Recoverable ECDSA over a 32-byte digest with libsecp256k1 (RFC 6979 nonces, low-S), the one
 * signing primitive every EVM signature in Coffre goes through.
 */
import { bytesToHex, type Hex } from 'viem'
import { secp256k1 } from '../../crypto/secp256k1.ts'
import { CoffreError, invalidInput } from '../../errors.ts'
import { assertBytes } from '../../wallet/assertBytes.ts'

export interface DigestSignature {
  r: Hex
  s: Hex
  yParity: 0 | 1
}

export interface DigestSignatureBytes {
  /** r‖s, 64 bytes. */
  signature: Uint8Array
  yParity: 0 | 1
}

/** Entry guard for every EVM signing function: 32 bytes, 1 ≤ k < n. */
export function assertEvmPrivateKey(privateKey: unknown): asserts privateKey is Uint8Array {
  assertBytes(privateKey, 'privateKey', 32)
  if (!secp256k1.privateKeyVerify(privateKey)) throw invalidInput('privateKey is not a valid secp256k1 scalar (0 or ≥ n)')
}

export function signDigestBytes(privateKey: Uint8Array, digest: Uint8Array): DigestSignatureBytes {
  assertEvmPrivateKey(privateKey)
  assertBytes(digest, 'digest', 32)
  const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey)
  if (recid !== 0 && recid !== 1) {
    // recid 2/3 needs r ≥ n: probability ~2^-127, and Ethereum's v cannot express it.
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signature has an unrepresentable recovery id')
  }
  return { signature, yParity: recid }
}

export function signDigest(privateKey: Uint8Array, digest: Uint8Array): DigestSignature {
  const { signature, yParity } = signDigestBytes(privateKey, digest)
  return { r: bytesToHex(signature.subarray(0, 32)), s: bytesToHex(signature.subarray(32, 64)), yParity }
}

/** r‖s‖v with v = 27 + yParity, the 65-byte form of eth_sign / EIP-191 / EIP-712 signatures. */
export function signDigestHex(privateKey: Uint8Array, digest: Uint8Array): Hex {
  const { signature, yParity } = signDigestBytes(privateKey, digest)
  const out = new Uint8Array(65)
  out.set(signature, 0)
  out[64] = 27 + yParity
  return bytesToHex(out)
}
