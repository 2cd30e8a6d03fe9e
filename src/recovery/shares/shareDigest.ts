/**
 * The integrity digest a user-backup split carries, checked on every restore (SLIP-39's idea):
 *
 *   digest = HMAC-SHA256(key = secret, "coffre-user-share-digest-v1" ‖ purpose ‖ backupId ‖ t ‖ n ‖
 *                        L ‖ len(context) ‖ context)[0:16]
 *
 * Choices, written down:
 * - It is not stored beside the share. As in SLIP-39 (where the digest sits in a share at x = 254),
 *   the digest is split together with the secret — each share holds y-bytes of secret ‖ digest —
 *   so fewer than t shares reveal nothing about it (information-theoretically, like the secret).
 *   A holder of one share therefore has no oracle to test guesses of the secret against, even a
 *   low-entropy one; and for BIP-39 entropy (128–256 bits) a visible digest would not be a weakness
 *   either. Only the combined secret reproduces it.
 * - It is keyed by the secret itself (HMAC with the secret as key), so it is a MAC rather than a
 *   bare hash: it cannot be computed without the secret, and it binds the header fields.
 * - `context` binds the split to its place (e.g. "<vaultId>:<userId>"): shares of another user or
 *   another vault combine to a secret that fails the digest, i.e. COFFRE_SHARES_WRONG.
 * - 16 bytes: a wrong combination passes with probability 2^-128 (SLIP-39 keeps 4 bytes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { invalidInput } from '../../errors.ts'
import { SHARE_DIGEST_BYTES, type SharePurpose } from './userShareCodec.ts'

const LABEL = 'coffre-user-share-digest-v1'
const MAX_CONTEXT_BYTES = 512

export type DigestHeader = {
  readonly purpose: SharePurpose
  readonly backupId: Uint8Array
  readonly threshold: number
  readonly count: number
}

/** The context's UTF-8 bytes: a non-empty string of at most 512 bytes. */
export function contextBytes(context: unknown): Uint8Array {
  if (typeof context !== 'string' || context.length === 0) throw invalidInput('context must be a non-empty string (e.g. "<vaultId>:<userId>")')
  const bytes = new Uint8Array(Buffer.from(context, 'utf8'))
  if (bytes.length > MAX_CONTEXT_BYTES) throw invalidInput(`context must be at most ${MAX_CONTEXT_BYTES} bytes`)
  return bytes
}

export function shareDigest(secret: Uint8Array, header: DigestHeader, context: Uint8Array): Uint8Array {
  const length = Buffer.alloc(2)
  length.writeUInt16BE(context.length)
  const mac = createHmac('sha256', secret)
    .update(LABEL)
    .update(Uint8Array.of(header.purpose === 'backup' ? 1 : 2))
    .update(header.backupId)
    .update(Uint8Array.of(header.threshold, header.count, secret.length))
    .update(length)
    .update(context)
    .digest()
  const digest = new Uint8Array(mac.subarray(0, SHARE_DIGEST_BYTES))
  mac.fill(0)
  return digest
}

export function shareDigestMatches(secret: Uint8Array, header: DigestHeader, context: Uint8Array, expected: Uint8Array): boolean {
  return expected.length === SHARE_DIGEST_BYTES && timingSafeEqual(shareDigest(secret, header, context), expected)
}
