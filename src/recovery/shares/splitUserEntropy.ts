/**
 * Splits a user's BIP-39 entropy (the bytes, never the mnemonic text) into `shares` binary shares,
 * any `threshold` of which give it back, with Shamir over GF(256) from `shamir-secret-sharing`
 * (Privy's library, audited by Cure53 and Zellic; see its README). Each share is self-describing
 * (userShareCodec.ts) and the split carries a hidden digest (shareDigest.ts) that restore checks.
 */
import { randomBytes } from 'node:crypto'
import { split } from 'shamir-secret-sharing'
import { invalidInput } from '../../errors.ts'
import { UUID_PATTERN } from '../../ids.ts'
import { assertBytes } from '../../wallet/assertBytes.ts'
import { contextBytes, shareDigest } from './shareDigest.ts'
import { backupIdText, encodeUserShare, ENTROPY_LENGTHS, MAX_SHARES, SHARE_DIGEST_BYTES, type SharePurpose } from './userShareCodec.ts'

export type SplitUserEntropyOptions = {
  /** Shares needed to restore (default 2). */
  readonly threshold?: number
  /** Shares made (default 3). */
  readonly shares?: number
  readonly purpose?: SharePurpose
  /** Binds the split to its place, e.g. "<vaultId>:<userId>"; restore must give the same. */
  readonly context: string
  /** A UUID naming the backup (default: 16 random bytes). */
  readonly backupId?: string
}

export type UserEntropySplit = {
  readonly backupId: string
  readonly threshold: number
  /** shares[i] has index i + 1. The caller places them and wipes what it no longer needs. */
  readonly shares: Uint8Array[]
}

function parseBackupId(backupId: unknown): Uint8Array {
  if (backupId === undefined) return new Uint8Array(randomBytes(16))
  if (typeof backupId !== 'string' || !UUID_PATTERN.test(backupId)) throw invalidInput('backupId must be a lowercase UUID')
  return new Uint8Array(Buffer.from(backupId.replace(/-/g, ''), 'hex'))
}

export async function splitUserEntropy(entropy: Uint8Array, options: SplitUserEntropyOptions): Promise<UserEntropySplit> {
  assertBytes(entropy, 'entropy', ...ENTROPY_LENGTHS)
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
  const { threshold = 2, shares: count = 3, purpose = 'backup' } = options
  if (!Number.isInteger(count) || count < 2 || count > MAX_SHARES) throw invalidInput(`shares must be an integer from 2 to ${MAX_SHARES}`)
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > count) throw invalidInput('threshold must be an integer from 2 to shares')
  if (purpose !== 'backup' && purpose !== 'guardians') throw invalidInput('purpose must be "backup" or "guardians"')
  const context = contextBytes(options.context)
  const backupId = parseBackupId(options.backupId)

  const header = { purpose, backupId, threshold, count }
  const payload = new Uint8Array(entropy.length + SHARE_DIGEST_BYTES)
  payload.set(entropy, 0)
  payload.set(shareDigest(entropy, header, context), entropy.length)
  const points = await split(payload, count, threshold).finally(() => payload.fill(0))
  try {
    const shares = points.map((point, i) =>
      encodeUserShare({ ...header, index: i + 1, secretLength: entropy.length, y: point.subarray(0, payload.length), x: point[payload.length] as number }),
    )
    return { backupId: backupIdText(backupId), threshold, shares }
  } finally {
    for (const point of points) point.fill(0)
  }
}
