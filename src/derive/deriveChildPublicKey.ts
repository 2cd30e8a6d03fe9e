import { secp256k1 } from '../crypto/secp256k1.ts'
import { deriveChildScalar } from './deriveChildScalar.ts'

/** Compressed (33-byte) public key of a private key, by libsecp256k1. */
export function mainPublicKeyBytes(privateKey: Uint8Array): Uint8Array {
  return secp256k1.publicKeyCreate(privateKey, true)
}

/**
 * Compressed public key of derived(index): HMAC → scalar → scalar·G, the child scalar wiped at once.
 * Internal core for validated inputs; the index and the linear scans use it to avoid hex round trips.
 */
export function deriveChildPublicKeyBytes(parentPrivateKey: Uint8Array, index: number): Uint8Array {
  const scalar = deriveChildScalar(parentPrivateKey, index)
  try {
    return secp256k1.publicKeyCreate(scalar, true)
  } finally {
    scalar.fill(0)
  }
}
