/**
 * Classifies a legacy row's Polymarket API credentials (key, secret, passphrase). Each value is
 * accepted if it authenticates under the legacy key, or if it has the exact plaintext shape the
 * CLOB issues (key: UUID; secret: base64 of 32 bytes; passphrase: 64 hex digits). Otherwise the
 * credentials are quarantined; the wallet is still imported (credentials can be derived again).
 */
import { looksLikeLegacyCiphertext, NOT_AUTHENTICATED, openLegacyValue } from './legacyCipher.ts'

export type ApiCredentials = { readonly apiKey: string; readonly secret: Uint8Array; readonly passphrase: Uint8Array }
/** `authenticated`: at least one field was legacy-encrypted and authenticated (the legacy key is right). */
export type ClassifiedCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly credentials: ApiCredentials; readonly authenticated: boolean }
  | { readonly kind: 'quarantine'; readonly field: string; readonly reason: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const shapes: Record<'api_key' | 'api_secret' | 'api_passphrase', (text: string) => boolean> = {
  api_key: (t) => UUID.test(t),
  api_secret: (t) => /^[A-Za-z0-9+/_-]{43}=?$/.test(t) && Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length === 32,
  api_passphrase: (t) => /^[0-9a-f]{64}$/i.test(t),
}

function readField(field: keyof typeof shapes, value: string, legacyKey: Uint8Array): { bytes: Uint8Array; authenticated: boolean } | string {
  const decrypted = openLegacyValue(legacyKey, value)
  const text = decrypted === null ? value : Buffer.from(decrypted).toString('utf8')
  decrypted?.fill(0)
  if (!shapes[field](text)) {
    if (decrypted !== null) return 'decrypts with the legacy key but has an unexpected shape'
    return looksLikeLegacyCiphertext(value) ? NOT_AUTHENTICATED : 'neither legacy-encrypted nor a plaintext value of the expected shape'
  }
  return { bytes: new TextEncoder().encode(text), authenticated: decrypted !== null }
}

export function classifyApiCredentials(row: { api_key?: string | null; api_secret?: string | null; api_passphrase?: string | null }, legacyKey: Uint8Array): ClassifiedCredentials {
  const values = { api_key: row.api_key?.trim() ?? '', api_secret: row.api_secret?.trim() ?? '', api_passphrase: row.api_passphrase?.trim() ?? '' }
  if (Object.values(values).every((v) => v === '')) return { kind: 'none' }
  const read: Partial<Record<keyof typeof shapes, Uint8Array>> = {}
  let authenticated = false
  for (const field of Object.keys(shapes) as (keyof typeof shapes)[]) {
    const wipe = () => Object.values(read).forEach((b) => b.fill(0))
    if (values[field] === '') {
      wipe()
      return { kind: 'quarantine', field, reason: 'missing (the other credential fields are present)' }
    }
    const result = readField(field, values[field], legacyKey)
    if (typeof result === 'string') {
      wipe()
      return { kind: 'quarantine', field, reason: result }
    }
    read[field] = result.bytes
    authenticated ||= result.authenticated
  }
  const apiKey = Buffer.from(read.api_key as Uint8Array).toString('utf8')
  read.api_key?.fill(0)
  return { kind: 'ok', credentials: { apiKey, secret: read.api_secret as Uint8Array, passphrase: read.api_passphrase as Uint8Array }, authenticated }
}
