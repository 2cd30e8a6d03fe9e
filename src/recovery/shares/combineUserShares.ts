/**
 * Gives back a user's entropy from any `threshold` shares — or refuses by name (shareError.ts)
 * rather than returning a wrong secret: malformed, corrupted, mixed, duplicated, too few, and
 * finally any combination that misses the split's digest (wrong context, forged share).
 */
import { combine } from 'shamir-secret-sharing'
import { contextBytes, shareDigestMatches } from './shareDigest.ts'
import { shareError } from './shareError.ts'
import { checkShareSet, type ShareSetExpectation } from './checkShareSet.ts'
import { backupIdText, decodeUserShare, userShareFromText, type UserShare } from './userShareCodec.ts'

export type CombineUserSharesOptions = ShareSetExpectation & {
  /** The context the split was made with, e.g. "<vaultId>:<userId>". */
  readonly context: string
}

export type CombinedUserEntropy = {
  /** The caller wipes it when done. */
  readonly entropy: Uint8Array
  readonly backupId: string
  readonly threshold: number
  /** Indexes of the shares used, in the order given. */
  readonly indexes: readonly number[]
}

const MAX_SUBSETS = 2000

/** Secret ‖ digest from these shares' points; the caller wipes it. */
async function interpolate(shares: readonly UserShare[]): Promise<Uint8Array> {
  const points = shares.map((share) => {
    const point = new Uint8Array(share.y.length + 1)
    point.set(share.y, 0)
    point[share.y.length] = share.x
    return point
  })
  try {
    return await combine(points)
  } finally {
    for (const point of points) point.fill(0)
  }
}

async function fits(shares: readonly UserShare[], context: Uint8Array): Promise<boolean> {
  const [first] = shares as [UserShare]
  const payload = await interpolate(shares)
  try {
    const secret = payload.subarray(0, first.secretLength)
    return shareDigestMatches(secret, first, context, payload.subarray(first.secretLength))
  } finally {
    payload.fill(0)
  }
}

/** With more shares than needed, names the ones off the secret that some threshold-subset gives (bounded search). */
async function sharesOffTheSecret(shares: readonly UserShare[], threshold: number, context: Uint8Array): Promise<number[]> {
  if (shares.length <= threshold) return []
  let tried = 0
  for (let mask = 1; mask < 1 << shares.length && tried < MAX_SUBSETS; mask++) {
    let bits = 0
    for (let m = mask; m !== 0; m &= m - 1) bits++
    if (bits !== threshold) continue
    tried++
    const subset = shares.filter((_, i) => (mask >> i) & 1)
    if (!(await fits(subset, context))) continue
    const base = subset.slice(1)
    const off: number[] = []
    for (const [i, share] of shares.entries()) if (!subset.includes(share) && !(await fits([...base, share], context))) off.push(i + 1)
    return off
  }
  return []
}

export async function combineUserShares(shares: readonly (Uint8Array | string)[], options: CombineUserSharesOptions): Promise<CombinedUserEntropy> {
  if (!Array.isArray(shares)) throw new TypeError('shares must be an array')
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
  const context = contextBytes(options.context)
  const decoded = shares.map((share, i) => decodeUserShare(typeof share === 'string' ? userShareFromText(share, i + 1) : share, i + 1))
  const threshold = checkShareSet(decoded, options)
  const [first] = decoded as [UserShare]
  const payload = await interpolate(decoded)
  const entropy = payload.slice(0, first.secretLength)
  const good = shareDigestMatches(entropy, first, context, payload.subarray(first.secretLength))
  payload.fill(0)
  if (good) return { entropy, backupId: backupIdText(first.backupId), threshold, indexes: decoded.map((share) => share.index) }
  entropy.fill(0)
  const off = await sharesOffTheSecret(decoded, threshold, context)
  throw shareError(
    'COFFRE_SHARES_WRONG',
    off.length > 0
      ? `The shares do not give back the secret they were made from: share${off.length === 1 ? '' : 's'} ${off.join(', ')} do${off.length === 1 ? 'es' : ''} not fit the others`
      : 'The shares do not give back the secret they were made from (another user or vault, or an altered share)',
    off.length > 0 ? { problem: 'digest', shares: off } : { problem: 'digest' },
  )
}
