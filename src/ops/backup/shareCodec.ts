/**
 * The text form of one backup share, made to be written down and typed back in:
 *
 *   coffre-share-v1-<setId>-<threshold>-<index>-<payload in groups of 6>-<checksum>
 *
 * setId    8 Crockford base32 characters (5 bytes): the same in every share of one split.
 * threshold, index  decimal: shares needed, and this share's number (1…n) for humans.
 * payload  41 bytes: the GF(256) share (32-byte y ‖ 1-byte x, as `shamir-secret-sharing` makes it)
 *          ‖ the 8-byte secret check (secretCheck.ts), base32 in groups of 6.
 * checksum 8 characters: SHA-256("coffre-share-v1" ‖ setId ‖ threshold ‖ index ‖ payload), first 5 bytes.
 *
 * Crockford base32 ignores case and reads O as 0 and I/L as 1, so common misreadings still decode;
 * the checksum catches any other typo in a single share and names that share.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { base32crockford } from '@scure/base'
import { backupInvalid } from './backupInvalid.ts'
import { secretCheckBytes } from './secretCheck.ts'

export const sharePrefix = 'coffre-share-v1'
export const setIdBytes = 5
export const rootKeyBytes = 32
const payloadBytes = rootKeyBytes + 1 + secretCheckBytes
const checksumBytes = 5

export type DecodedShare = {
  readonly setId: Uint8Array
  readonly threshold: number
  readonly index: number
  /** The share as `shamir-secret-sharing` reads it: y (32 bytes) ‖ x (1 byte). */
  readonly point: Uint8Array
  readonly check: Uint8Array
}

function checksum(setId: Uint8Array, threshold: number, index: number, payload: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(sharePrefix).update(setId).update(Uint8Array.of(threshold, index)).update(payload).digest()
  return new Uint8Array(digest.subarray(0, checksumBytes))
}

export function encodeShare(share: DecodedShare): string {
  const payload = new Uint8Array(payloadBytes)
  payload.set(share.point, 0)
  payload.set(share.check, rootKeyBytes + 1)
  const groups = base32crockford.encode(payload).match(/.{1,6}/g) ?? []
  const sum = checksum(share.setId, share.threshold, share.index, payload)
  return [sharePrefix, base32crockford.encode(share.setId), share.threshold, share.index, ...groups, base32crockford.encode(sum)].join('-')
}

function decimal(text: string | undefined, min: number, max: number): number | undefined {
  const digits = text?.replace(/[oO]/g, '0').replace(/[lLiI]/g, '1')
  if (digits === undefined || !/^\d{1,3}$/.test(digits)) return undefined
  const value = Number(digits)
  return value >= min && value <= max ? value : undefined
}

function base32(text: string, bytes: number, what: string, position: number): Uint8Array {
  const bad = /[^0-9A-HJKMNP-TV-Z]/.exec(text.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1'))
  if (bad !== null) throw backupInvalid(`Share ${position}: "${bad[0]}" is not a share character (in the ${what})`, { share: position, problem: 'character' })
  try {
    const decoded = base32crockford.decode(text)
    if (decoded.length === bytes) return decoded
  } catch {
    // fall through: wrong length
  }
  throw backupInvalid(`Share ${position}: the ${what} has the wrong length (a character is missing or extra)`, { share: position, problem: 'length' })
}

/** Reads one share; `position` (1-based, in the caller's list) names it in errors. */
export function decodeShare(text: string, position: number): DecodedShare {
  if (typeof text !== 'string') throw new TypeError(`share ${position} must be a string`)
  const parts = text.trim().split(/[\s-]+/).filter((part) => part !== '')
  if (parts.slice(0, 3).join('-').toLowerCase() !== sharePrefix) {
    const problem = /^coffre-share-v\d+/i.test(parts.slice(0, 3).join('-')) ? 'a share format this Coffre does not know' : 'not a Coffre backup share'
    throw backupInvalid(`Share ${position} is ${problem} (expected it to start with "${sharePrefix}-")`, { share: position, problem: 'prefix' })
  }
  if (parts.length < 8) throw backupInvalid(`Share ${position} is incomplete`, { share: position, problem: 'incomplete' })
  const threshold = decimal(parts[4], 2, 255)
  const index = decimal(parts[5], 1, 255)
  if (threshold === undefined) throw backupInvalid(`Share ${position}: the threshold field is not a number from 2 to 255`, { share: position, problem: 'threshold' })
  if (index === undefined) throw backupInvalid(`Share ${position}: the index field is not a number from 1 to 255`, { share: position, problem: 'index' })
  const setId = base32(parts[3] as string, setIdBytes, 'set id', position)
  const payload = base32(parts.slice(6, -1).join(''), payloadBytes, 'share data', position)
  const sum = base32(parts.at(-1) as string, checksumBytes, 'checksum', position)
  if (!timingSafeEqual(checksum(setId, threshold, index, payload), sum)) {
    throw backupInvalid(`Share ${position} (index ${index}) fails its checksum: it was mistyped or altered`, { share: position, index, problem: 'checksum' })
  }
  return { setId, threshold, index, point: payload.slice(0, rootKeyBytes + 1), check: payload.slice(rootKeyBytes + 1) }
}
