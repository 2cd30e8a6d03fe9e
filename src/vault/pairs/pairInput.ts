/** Guards for pair fields coming from callers (library, CLI, HTTP). */
import { invalidInput } from '../../errors.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { UUID_PATTERN } from '../../ids.ts'

/** A pair uuid: RFC 9562 text form, either case; returned lowercase. */
export function parsePairUuid(value: unknown, field = 'uuid'): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value.toLowerCase())) throw invalidInput(`${field} must be a UUID`, { field })
  return value.toLowerCase()
}

export function parsePairLabel(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw invalidInput('label must be 1 to 128 printable characters', { field: 'label' })
  }
  return value
}

/** The most extra public keys a pair holds (besides its main key). */
export const MAX_PAIR_PUBLIC_KEYS = 1000

/** Validated (on the curve), lowercase, deduplicated keys, in the order given, without `exclude`. */
export function parsePublicKeyList(value: unknown, field: string, exclude?: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > MAX_PAIR_PUBLIC_KEYS) throw invalidInput(`${field} must be an array of at most ${MAX_PAIR_PUBLIC_KEYS} public keys`, { field })
  const keys = new Set<string>()
  for (const key of value) keys.add(parsePublicKeyHex(key, field).hex)
  if (exclude !== undefined) keys.delete(exclude)
  return [...keys]
}
