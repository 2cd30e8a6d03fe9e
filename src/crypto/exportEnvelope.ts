/**
 * Export envelope: a wallet export sealed to the caller's X25519 public key with HPKE (RFC 9180)
 * base mode, suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, via @hpke/core.
 * `info` is the fixed string `coffre-export-v1`; the associated data is `coffre-export-v1:<userId>`,
 * so an envelope cannot be passed off as another user's. Format and a decryption example:
 * docs/export.md.
 */
import { hpkeOpen, hpkeSeal, HPKE_SUITE, parseX25519PublicKey } from './hpke.ts'

export const EXPORT_ENVELOPE_FORMAT = 'coffre-export-v1'
export const EXPORT_SUITE = HPKE_SUITE

export type ExportEnvelope = {
  readonly format: typeof EXPORT_ENVELOPE_FORMAT
  readonly suite: typeof EXPORT_SUITE
  /** base64 of the 32-byte encapsulated key (HPKE `enc`). */
  readonly enc: string
  /** base64 of the AES-256-GCM ciphertext and tag of the UTF-8 JSON export. */
  readonly ciphertext: string
}

const utf8 = (text: string) => new TextEncoder().encode(text)
export const exportAssociatedData = (userId: string): Uint8Array => utf8(`${EXPORT_ENVELOPE_FORMAT}:${userId}`)
const labels = (userId: string) => ({ info: utf8(EXPORT_ENVELOPE_FORMAT), associatedData: exportAssociatedData(userId) })

/** Accepts the raw 32-byte X25519 public key as base64 or base64url (43 or 44 characters). */
export const parseRecipientPublicKey = (text: unknown): Uint8Array => parseX25519PublicKey(text)

/** Seals `plaintext` to the recipient. The caller wipes `plaintext` afterwards. */
export async function sealExportEnvelope(recipientPublicKey: Uint8Array, plaintext: Uint8Array, userId: string): Promise<ExportEnvelope> {
  const sealed = await hpkeSeal(recipientPublicKey, plaintext, labels(userId))
  return {
    format: EXPORT_ENVELOPE_FORMAT,
    suite: EXPORT_SUITE,
    enc: Buffer.from(sealed.enc).toString('base64'),
    ciphertext: Buffer.from(sealed.ciphertext).toString('base64'),
  }
}

/** Proves the key is usable (a trial seal of nothing) before any secret is decrypted for it. */
export async function assertUsableRecipient(recipientPublicKey: Uint8Array): Promise<void> {
  await sealExportEnvelope(recipientPublicKey, new Uint8Array(0), 'check')
}

/** The recipient's side (tests and docs/export.md): raw 32-byte X25519 private key → plaintext. */
export function openExportEnvelope(recipientPrivateKey: Uint8Array, envelope: Pick<ExportEnvelope, 'enc' | 'ciphertext'>, userId: string): Promise<Uint8Array> {
  const sealed = { enc: new Uint8Array(Buffer.from(envelope.enc, 'base64')), ciphertext: new Uint8Array(Buffer.from(envelope.ciphertext, 'base64')) }
  return hpkeOpen(recipientPrivateKey, sealed, labels(userId))
}
