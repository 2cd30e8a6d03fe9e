/**
 * The legacy ENCRYPTION_KEY as the seed system kept it, in either of its two forms: base64 of 32
 * bytes (its first EncryptionService: `base64.b64decode(ENCRYPTION_KEY)`), or a raw 32-character
 * string whose UTF-8 bytes are the key (its later one: `key.encode('utf-8')` after checking the
 * length is 32). The forms cannot be confused: base64 of 32 bytes is 44 characters. From the
 * string form only a trailing line break is stripped (spaces may be part of it); any other length is
 * refused.
 */
import { CoffreError } from '../../errors.ts'

export type LegacyKeyForm = 'base64' | 'utf8'

export function parseLegacyKey(text: string): { readonly key: Uint8Array; readonly form: LegacyKeyForm } {
  const trimmed = text.trim()
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return { key: new Uint8Array(Buffer.from(trimmed, 'base64')), form: 'base64' }
  const line = text.replace(/\r?\n$/, '')
  const utf8 = new TextEncoder().encode(line)
  if ([...line].length === 32 && utf8.length === 32) return { key: utf8, form: 'utf8' }
  utf8.fill(0)
  throw new CoffreError('COFFRE_INVALID_INPUT', 'the legacy key file must hold the ENCRYPTION_KEY: base64 of 32 bytes (44 characters), or the 32-character string the later seed system used as UTF-8 bytes')
}
