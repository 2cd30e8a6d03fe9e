/**
 * Time-ordered identifiers (UUIDv7 layout, RFC 9562): sortable by creation time, so cursor
 * pagination by id follows creation order. 74 random bits make collisions negligible.
 */
import { randomBytes } from 'node:crypto'

export function newUuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A data-key id: `dk_` + 20 lowercase base-36-safe hex chars, time-ordered. */
export function newDataKeyId(now: number = Date.now()): string {
  return `dk_${now.toString(16).padStart(12, '0')}${randomBytes(4).toString('hex')}`
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
