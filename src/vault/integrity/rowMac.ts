/**
 * A row's MAC: HMAC-SHA256 under the MAC key over the canonical JSON of a version tag, the table
 * name and the row's fields (rowFields.ts). Stored as `rm1.<base64url>`; one HMAC call per row.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalJson } from '../../canonicalJson.ts'

const VERSION = 'rm1'

export function computeRowMac(key: Uint8Array, table: string, fields: Readonly<Record<string, unknown>>): string {
  const mac = createHmac('sha256', key).update(canonicalJson(['coffre-row-mac', VERSION, table, fields])).digest('base64url')
  return `${VERSION}.${mac}`
}

/** True when `stored` is the MAC of these fields (constant-time comparison). */
export function rowMacMatches(key: Uint8Array, table: string, fields: Readonly<Record<string, unknown>>, stored: string | null | undefined): boolean {
  if (typeof stored !== 'string') return false
  const expected = Buffer.from(computeRowMac(key, table, fields))
  const given = Buffer.from(stored)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
