/**
 * Ed25519 through node:crypto from a raw 32-byte seed.
 *
 * Import: a JWK `{ kty: 'OKP', crv: 'Ed25519', d }` maps straight to OpenSSL's raw-key constructor,
 * while PKCS#8 DER goes through OpenSSL 3's generic decoder: measured here ~8× slower on one
 * thread (≈600 µs vs ≈75 µs) and far worse across worker threads (3 threads × 15k imports:
 * JWK 23–41 s, DER > 60 s every run). Node 20 requires `x` in the JWK but ignores its value for a
 * private key; should a Node version reject the empty `x`, we fall back to PKCS#8 DER.
 * Export: the public key is read as SPKI DER, never as JWK (JWK *export* of Ed25519 keys in a
 * loop deadlocked Node 20.20 here; JWK import did not in 6 runs of the 3-thread stress).
 * Cost of the fast path: the seed passes through a base64url JS string, which cannot be wiped.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { assertBytes } from './assertBytes.ts'

// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }  (RFC 8410)
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex')
// SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33) }
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex')

function fromPkcs8(seed: Uint8Array): KeyObject {
  const der = Buffer.alloc(pkcs8Prefix.length + 32)
  pkcs8Prefix.copy(der, 0)
  der.set(seed, pkcs8Prefix.length)
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  } finally {
    der.fill(0)
  }
}

let rawImportWorks = true

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  assertBytes(seed, 'secretKey', 32)
  if (rawImportWorks) {
    try {
      const d = Buffer.from(seed.buffer, seed.byteOffset, 32).toString('base64url')
      return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d, x: '' }, format: 'jwk' })
    } catch {
      rawImportWorks = false
    }
  }
  return fromPkcs8(seed)
}

export function ed25519PublicKeyFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' })
  return Uint8Array.from(spki.subarray(spkiPrefix.length))
}

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  assertBytes(publicKey, 'publicKey', 32)
  return createPublicKey({ key: Buffer.concat([spkiPrefix, publicKey]), format: 'der', type: 'spki' })
}
