/** The text forms of a local root key: COFFRE_MASTER_KEY and base64 key files (base64 of exactly 32 bytes). */
import { CoffreError } from '../errors.ts'

/** Decodes COFFRE_MASTER_KEY (base64 of 32 bytes). */
export function decodeMasterKey(base64: string): Uint8Array {
  const key = decodeBase64Key(base64)
  if (key === null) throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'COFFRE_MASTER_KEY must be base64 of exactly 32 bytes')
  return key
}

export function decodeBase64Key(text: string): Uint8Array | null {
  const trimmed = text.trim()
  return /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? new Uint8Array(Buffer.from(trimmed, 'base64')) : null
}
