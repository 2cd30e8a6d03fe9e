/**
 * The fingerprint an Idempotency-Key row keeps of its request (method, URL and canonical JSON
 * body), so a reused key with another body is refused. Bodies can carry a mnemonic or private keys
 * (imports), and the rows live 24 h in the database, so the fingerprint is an HMAC-SHA256 keyed
 * with a key derived (HKDF-SHA256) from the caller's own bearer token — never a bare hash that a
 * database reader could test guesses against.
 *
 * Why the token rather than a vault secret: the rows are already scoped per token, the token has
 * 256 random bits and the database holds only its SHA-256 (from which the HMAC key cannot be
 * derived), every instance derives the same key without sharing state, and nothing new is stored
 * or has to follow data-key rotation (a sealed MAC secret would be one more secret column to
 * re-encrypt and a keyring dependency on a hot path).
 */
import { createHmac, hkdfSync } from 'node:crypto'
import { canonicalJson } from '../canonicalJson.ts'

export const FINGERPRINT_PREFIX = 'hm1:'

export function requestFingerprint(bearerToken: string, method: string, url: string, body: unknown): string {
  const key = new Uint8Array(hkdfSync('sha256', bearerToken, new Uint8Array(0), 'coffre-idempotency-fingerprint-v1', 32))
  try {
    return FINGERPRINT_PREFIX + createHmac('sha256', key).update(`${method} ${url}\n${canonicalJson(body ?? null)}`).digest('hex')
  } finally {
    key.fill(0)
  }
}
