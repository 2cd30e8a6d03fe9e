/**
 * HPKE (RFC 9180) base mode, suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, via
 * @hpke/core: the one place Coffre seals to a caller's X25519 public key. Callers choose `info`
 * (what the envelope is) and the associated data (where it belongs); exportEnvelope.ts and the
 * user-backup share sealing use it.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { CoffreError, invalidInput } from '../errors.ts'

export const HPKE_SUITE = 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM' as const

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })

export type HpkeSealed = { readonly enc: Uint8Array; readonly ciphertext: Uint8Array }
export type HpkeLabels = { readonly info: Uint8Array; readonly associatedData: Uint8Array }

/** Accepts the raw 32-byte X25519 public key as base64 or base64url (43 or 44 characters). */
export function parseX25519PublicKey(text: unknown, field = 'recipientPublicKey'): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) throw invalidInput(`${field} must be a 32-byte X25519 public key in base64`, { field })
  const bytes = new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
  if (bytes.length !== 32) throw invalidInput(`${field} must be a 32-byte X25519 public key in base64`, { field })
  return bytes
}

/** Seals `plaintext` to the recipient; the caller wipes `plaintext` afterwards. */
export async function hpkeSeal(recipientPublicKey: Uint8Array, plaintext: Uint8Array, labels: HpkeLabels): Promise<HpkeSealed> {
  if (!(recipientPublicKey instanceof Uint8Array) || recipientPublicKey.length !== 32) throw invalidInput('recipient public key must be 32 bytes')
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array')
  let publicKey
  try {
    publicKey = await suite.kem.deserializePublicKey(recipientPublicKey)
  } catch {
    throw invalidInput('recipientPublicKey is not a usable X25519 public key')
  }
  try {
    const sealed = await suite.seal({ recipientPublicKey: publicKey, info: labels.info }, plaintext, labels.associatedData)
    return { enc: new Uint8Array(sealed.enc), ciphertext: new Uint8Array(sealed.ct) }
  } catch {
    // e.g. a low-order point: X25519 yields the all-zero secret and HPKE refuses it.
    throw invalidInput('recipientPublicKey is not a usable X25519 public key')
  }
}

/** The recipient's side: raw 32-byte X25519 private key → plaintext; a failed open is COFFRE_DECRYPT_FAILED. */
export async function hpkeOpen(recipientPrivateKey: Uint8Array, sealed: HpkeSealed, labels: HpkeLabels): Promise<Uint8Array> {
  if (!(recipientPrivateKey instanceof Uint8Array) || recipientPrivateKey.length !== 32) throw invalidInput('recipient private key must be 32 bytes')
  const recipientKey = await suite.kem.importKey('raw', recipientPrivateKey, false)
  try {
    return new Uint8Array(await suite.open({ recipientKey, enc: sealed.enc, info: labels.info }, sealed.ciphertext, labels.associatedData))
  } catch {
    throw new CoffreError('COFFRE_DECRYPT_FAILED', 'the HPKE envelope did not open (another recipient, or altered or relabelled)')
  }
}
