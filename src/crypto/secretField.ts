/**
 * The stored form of every secret field: `cf1.<dataKeyId>.<base64url(nonce ‖ ciphertext ‖ tag)>`.
 * The version and the data-key id are authenticated: they are part of the associated data, together
 * with the field's place (table, column, owning row), so a value copied to another row or column,
 * or relabelled with another key id, fails to decrypt.
 */
import { CoffreError } from '../errors.ts'

export const SECRET_FORMAT_VERSION = 'cf1'

/** Where a secret lives. `row` is the owning row's stable identity, e.g. `user:<id>|chain:polygon|address:0x…`. */
export type SecretPlace = { readonly table: string; readonly column: string; readonly row: string }

export type ParsedSecretField = { readonly version: string; readonly dataKeyId: string; readonly sealed: Uint8Array }

const DATA_KEY_ID = /^dk_[0-9a-z]{8,40}$/
const BASE64URL = /^[A-Za-z0-9_-]+$/

export function associatedData(dataKeyId: string, place: SecretPlace): Uint8Array {
  return new TextEncoder().encode(JSON.stringify([SECRET_FORMAT_VERSION, dataKeyId, place.table, place.column, place.row]))
}

export function formatSecretField(dataKeyId: string, sealed: Uint8Array): string {
  return `${SECRET_FORMAT_VERSION}.${dataKeyId}.${Buffer.from(sealed).toString('base64url')}`
}

export function isSecretField(value: string): boolean {
  return parseSecretFieldOrNull(value) !== null
}

export function parseSecretField(value: string): ParsedSecretField {
  const parsed = parseSecretFieldOrNull(value)
  if (parsed === null) throw new CoffreError('COFFRE_DECRYPT_FAILED', 'stored secret is not in the cf1 format')
  return parsed
}

function parseSecretFieldOrNull(value: string): ParsedSecretField | null {
  if (typeof value !== 'string') return null
  const parts = value.split('.')
  if (parts.length !== 3) return null
  const [version, dataKeyId, body] = parts as [string, string, string]
  if (version !== SECRET_FORMAT_VERSION || !DATA_KEY_ID.test(dataKeyId) || !BASE64URL.test(body)) return null
  return { version, dataKeyId, sealed: new Uint8Array(Buffer.from(body, 'base64url')) }
}

export function isDataKeyId(value: string): boolean {
  return DATA_KEY_ID.test(value)
}
