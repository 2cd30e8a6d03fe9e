/**
 * A user's identity key (seed 004's parent key for derived keys and pairs): a random secp256k1
 * scalar, separate from the trading key (one key, one purpose).
 */
import { randomBytes } from 'node:crypto'
import { secp256k1 } from '../crypto/secp256k1.ts'

export interface IdentityKey {
  privateKey: Uint8Array
  /** 33-byte compressed public key. */
  publicKey: Uint8Array
}

export function generateIdentityKey(): IdentityKey {
  const privateKey = new Uint8Array(32)
  do {
    const candidate = randomBytes(32)
    privateKey.set(candidate)
    candidate.fill(0)
  } while (!secp256k1.privateKeyVerify(privateKey)) // fails with probability ~2^-128
  return { privateKey, publicKey: secp256k1.publicKeyCreate(privateKey, true) }
}
