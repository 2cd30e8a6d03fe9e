/**
 * The binary form of one user-backup share (versioned, self-describing), and its text form
 * `cfus1.<base64url>` for JSON and copy-paste.
 *
 *   offset  size  field
 *   0       4     magic "CFUS" (Coffre user share)
 *   4       1     version = 1
 *   5       1     purpose: 1 = backup (vault / object storage / user), 2 = guardians
 *   6       16    backupId (a UUID's 16 bytes): the same in every share of one split
 *   22      1     threshold t (2…16)
 *   23      1     count n (t…16)
 *   24      1     index i (1…n), the share's number for humans
 *   25      1     secret length L: 16, 20, 24, 28 or 32 (BIP-39 entropy)
 *   26      L+16  y: the GF(256) share of secret ‖ digest (digest: shareDigest.ts)
 *   42+L    1     x: the share's evaluation point, as `shamir-secret-sharing` stores it
 *   43+L    8     checksum: SHA-256("coffre-user-share-v1" ‖ every byte before it), first 8 bytes
 *
 * Decoding checks magic, version, then the checksum over the whole share (so any damaged byte is
 * COFFRE_SHARE_CORRUPTED), then the field ranges. The checksum catches accidents, not forgery:
 * a forged share with a recomputed checksum is caught by the digest when the shares are combined.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { shareError } from './shareError.ts'

export const SHARE_MAGIC = 'CFUS'
export const SHARE_VERSION = 1
export const SHARE_TEXT_PREFIX = 'cfus1.'
export const SHARE_DIGEST_BYTES = 16
export const MAX_SHARES = 16
export const ENTROPY_LENGTHS: readonly number[] = [16, 20, 24, 28, 32]
const HEADER_BYTES = 26
const CHECKSUM_BYTES = 8
const CHECKSUM_LABEL = 'coffre-user-share-v1'

export type SharePurpose = 'backup' | 'guardians'
const purposeCodes: Readonly<Record<SharePurpose, number>> = { backup: 1, guardians: 2 }

export type UserShare = {
  readonly purpose: SharePurpose
  /** 16 bytes. */
  readonly backupId: Uint8Array
  readonly threshold: number
  readonly count: number
  readonly index: number
  readonly secretLength: number
  /** secretLength + 16 bytes. */
  readonly y: Uint8Array
  readonly x: number
}

export const shareLength = (secretLength: number): number => HEADER_BYTES + secretLength + SHARE_DIGEST_BYTES + 1 + CHECKSUM_BYTES

function checksum(body: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(CHECKSUM_LABEL).update(body).digest().subarray(0, CHECKSUM_BYTES))
}

export function encodeUserShare(share: UserShare): Uint8Array {
  const length = shareLength(share.secretLength)
  const out = new Uint8Array(length)
  out.set(Buffer.from(SHARE_MAGIC, 'latin1'), 0)
  out[4] = SHARE_VERSION
  out[5] = purposeCodes[share.purpose]
  out.set(share.backupId, 6)
  out[22] = share.threshold
  out[23] = share.count
  out[24] = share.index
  out[25] = share.secretLength
  out.set(share.y, HEADER_BYTES)
  out[HEADER_BYTES + share.y.length] = share.x
  out.set(checksum(out.subarray(0, length - CHECKSUM_BYTES)), length - CHECKSUM_BYTES)
  return out
}

/** Reads one share; `position` (1-based, in the caller's list) names it in errors. */
export function decodeUserShare(bytes: Uint8Array, position = 1): UserShare {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`share ${position} must be a Uint8Array`)
  const malformed = (why: string, problem: string) => shareError('COFFRE_SHARE_MALFORMED', `Share ${position} ${why}`, { share: position, problem })
  if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== SHARE_MAGIC) throw malformed('is not a Coffre user share', 'magic')
  if (bytes[4] !== SHARE_VERSION) throw malformed(`has version ${bytes[4]}, which this Coffre does not know`, 'version')
  if (!ENTROPY_LENGTHS.some((length) => bytes.length === shareLength(length))) throw malformed(`has the wrong length (${bytes.length} bytes)`, 'length')
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES)
  if (!timingSafeEqual(checksum(body), bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
    throw shareError('COFFRE_SHARE_CORRUPTED', `Share ${position} fails its checksum: it was altered or damaged`, { share: position })
  }
  const purpose = bytes[5] === 1 ? 'backup' : bytes[5] === 2 ? 'guardians' : undefined
  const [threshold, count, index, secretLength] = [bytes[22], bytes[23], bytes[24], bytes[25]] as [number, number, number, number]
  if (purpose === undefined) throw malformed(`has an unknown purpose (${bytes[5]})`, 'purpose')
  if (shareLength(secretLength) !== bytes.length) throw malformed('has a secret length that does not match its size', 'secret-length')
  if (threshold < 2 || count < threshold || count > MAX_SHARES) throw malformed(`has an impossible threshold ${threshold} of ${count}`, 'threshold')
  if (index < 1 || index > count) throw malformed(`has index ${index}, outside 1…${count}`, 'index')
  const x = bytes[HEADER_BYTES + secretLength + SHARE_DIGEST_BYTES] as number
  if (x === 0) throw malformed('has the evaluation point 0', 'x')
  return {
    purpose,
    backupId: bytes.slice(6, 22),
    threshold,
    count,
    index,
    secretLength,
    y: bytes.slice(HEADER_BYTES, HEADER_BYTES + secretLength + SHARE_DIGEST_BYTES),
    x,
  }
}

export const userShareToText = (bytes: Uint8Array): string => SHARE_TEXT_PREFIX + Buffer.from(bytes).toString('base64url')

/** The bytes of a `cfus1.…` text share (surrounding white space ignored). */
export function userShareFromText(text: string, position = 1): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`share ${position} must be a string`)
  const trimmed = text.trim()
  if (!trimmed.startsWith(SHARE_TEXT_PREFIX) || !/^[A-Za-z0-9_-]+$/.test(trimmed.slice(SHARE_TEXT_PREFIX.length))) {
    throw shareError('COFFRE_SHARE_MALFORMED', `Share ${position} is not a Coffre user share (expected "${SHARE_TEXT_PREFIX}" and base64url)`, { share: position, problem: 'text' })
  }
  return new Uint8Array(Buffer.from(trimmed.slice(SHARE_TEXT_PREFIX.length), 'base64url'))
}

/** The backup id as a UUID string (lowercase, dashed). */
export function backupIdText(backupId: Uint8Array): string {
  const hex = Buffer.from(backupId).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
