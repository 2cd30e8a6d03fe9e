/**
 * Time-ordered identifiers: UUIDv7 (RFC 9562) from the `uuid` package, whose generator keeps a
 * per-process sequence so ids made in the same millisecond still increase (and survive a clock
 * step backwards). Cursor pagination by id therefore follows creation order within a process.
 */
import { v7 } from 'uuid'

/** A lowercase UUIDv7, strictly greater than every id this process made before. */
export function newUuidV7(): string {
  return v7()
}

/** A data-key id: `dk_` + the 32 hex digits of a UUIDv7 (time-ordered, monotonic). */
export function newDataKeyId(): string {
  return `dk_${v7().replace(/-/g, '')}`
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
