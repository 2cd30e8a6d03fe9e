/**
 * Export envelope: a wallet export sealed to the caller's X25519 public key with HPKE (RFC 9180)
 * base mode, suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, via @hpke/core.
 * `info` is the fixed string `coffre-export-v1`; the associated data is `coffre-export-v1:<userId>`,
 * so an envelope cannot be passed off as another user's. Format and a decryption example:
 * docs/export.md.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { invalidInput } from '../errors.ts'

export const EXPORT_ENVELOPE_FORMAT = 'coffre-export-v1'
export const EXPORT_SUITE = 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM' as const

export type ExportEnvelope = {
  readonly format: typeof EXPORT_ENVELOPE_FORMAT
  readonly suite: typeof EXPORT_SUITE
  /** base64 of the 32-byte encapsulated key (HPKE `enc`). */
  readonly enc: string
  /** base64 of the AES-256-GCM ciphertext and tag of the UTF-8 JSON export. */
  readonly ciphertext: string
}

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })
const utf8 = (text: string) => new TextEncoder().encode(text)
export const exportAssociatedData = (userId: string): Uint8Array => utf8(`${EXPORT_ENVELOPE_FORMAT}:${userId}`)

/** Accepts the raw 32-byte X25519 public key as base64 or base64url (43 or 44 characters). */
export function parseRecipientPublicKey(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) throw invalidInput('recipientPublicKey must be a 32-byte X25519 public key in base64')
  const bytes = new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
  if (bytes.length !== 32) throw invalidInput('recipientPublicKey must be a 32-byte X25519 public key in base64')
  return bytes
}

/** Seals `plaintext` to the recipient. The caller wipes `plaintext` afterwards. */
export async function sealExportEnvelope(recipientPublicKey: Uint8Array, plaintext: Uint8Array, userId: string): Promise<ExportEnvelope> {
  if (!(recipientPublicKey instanceof Uint8Array) || recipientPublicKey.length !== 32) throw invalidInput('recipient public key must be 32 bytes')
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array')
  let publicKey
  try {
    publicKey = await suite.kem.deserializePublicKey(recipientPublicKey)
  } catch {
    throw invalidInput('recipientPublicKey is not a usable X25519 public key')
  }
  let sealed
  try {
    sealed = await suite.seal({ recipientPublicKey: publicKey, info: utf8(EXPORT_ENVELOPE_FORMAT) }, plaintext, exportAssociatedData(userId))
  } catch {
    // e.g. a low-order point: X25519 yields the all-zero secret and HPKE refuses it.
    throw invalidInput('recipientPublicKey is not a usable X25519 public key')
  }
  return {
    format: EXPORT_ENVELOPE_FORMAT,
    suite: EXPORT_SUITE,
    enc: Buffer.from(sealed.enc).toString('base64'),
    ciphertext: Buffer.from(sealed.ct).toString('base64'),
  }
}

/** Proves the key is usable (a trial seal of nothing) before any secret is decrypted for it. */
export async function assertUsableRecipient(recipientPublicKey: Uint8Array): Promise<void> {
  await sealExportEnvelope(recipientPublicKey, new Uint8Array(0), 'check')
}

/** The recipient's side (tests and docs/export.md): raw 32-byte X25519 private key → plaintext. */
export async function openExportEnvelope(recipientPrivateKey: Uint8Array, envelope: Pick<ExportEnvelope, 'enc' | 'ciphertext'>, userId: string): Promise<Uint8Array> {
  const recipientKey = await suite.kem.importKey('raw', recipientPrivateKey, false)
  const opened = await suite.open(
    { recipientKey, enc: new Uint8Array(Buffer.from(envelope.enc, 'base64')), info: utf8(EXPORT_ENVELOPE_FORMAT) },
    new Uint8Array(Buffer.from(envelope.ciphertext, 'base64')),
    exportAssociatedData(userId),
  )
  return new Uint8Array(opened)
}
