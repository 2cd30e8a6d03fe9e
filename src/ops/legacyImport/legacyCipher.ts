/**
 * The seed system's field encryption: base64(12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag),
 * no associated data, under the 32-byte key whose base64 is `ENCRYPTION_KEY`. A value counts as
 * legacy-encrypted only if it authenticates under that key — never by its length (the seed's
 * `is_encrypted` called base58 Solana keys "encrypted").
 */
import { isCoffreError } from '../../errors.ts'
import { openAesGcm, sealAesGcm } from '../../crypto/aead.ts'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const EMPTY = new Uint8Array(0)
/** nonce + tag + at least one byte. */
const MIN_SEALED = 12 + 16 + 1

/** The reason given when a value has the shape of a legacy ciphertext but does not authenticate. */
export const NOT_AUTHENTICATED = 'does not authenticate with the legacy key (encrypted under another key, or corrupted)'

/** True when the text has the shape of a legacy ciphertext (which says nothing about its key). */
export function looksLikeLegacyCiphertext(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text) && Buffer.from(text, 'base64').length >= MIN_SEALED
}

/** The plaintext bytes if `text` authenticates under `key`, else null. The caller wipes them. */
export function openLegacyValue(key: Uint8Array, text: string): Uint8Array | null {
  if (!looksLikeLegacyCiphertext(text)) return null
  const sealed = new Uint8Array(Buffer.from(text, 'base64'))
  try {
    return openAesGcm(key, sealed, EMPTY)
  } catch (error) {
    if (isCoffreError(error) && error.code === 'COFFRE_DECRYPT_FAILED') return null
    throw error
  } finally {
    sealed.fill(0)
  }
}

/** Encrypts the way the seed did (for fixtures and tests). */
export function sealLegacyValue(key: Uint8Array, plaintext: string): string {
  return Buffer.from(sealAesGcm(key, new TextEncoder().encode(plaintext), EMPTY)).toString('base64')
}
