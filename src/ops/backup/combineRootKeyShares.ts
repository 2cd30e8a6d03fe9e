/**
 * Gives back the root key from text shares, refusing — with COFFRE_BACKUP_INVALID and a message that
 * names the share — anything that would otherwise combine into a wrong key silently: a mistyped
 * share, shares of two sets, disagreeing thresholds, duplicates, too few shares, and finally any
 * reconstruction that does not reproduce the secret check every share carries.
 */
import { timingSafeEqual } from 'node:crypto'
import { combine } from 'shamir-secret-sharing'
import { base32crockford } from '@scure/base'
import { backupInvalid } from './backupInvalid.ts'
import { findSharesOffTheSecret } from './findSharesOffTheSecret.ts'
import { secretCheckMatches, vaultTag } from './secretCheck.ts'
import { decodeShare, type DecodedShare } from './shareCodec.ts'

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b)
const list = (positions: number[]) => (positions.length === 1 ? `share ${positions[0]}` : `shares ${positions.join(', ')}`)

function checkSameSet(shares: readonly DecodedShare[], options: { vaultId?: string }): void {
  const sets = new Map<string, number[]>()
  shares.forEach((share, i) => {
    const id = base32crockford.encode(share.setId)
    sets.set(id, [...(sets.get(id) ?? []), i + 1])
  })
  if (sets.size > 1) {
    const described = [...sets].map(([id, positions]) => `set ${id} (${list(positions)})`).join(', ')
    throw backupInvalid(`The shares come from different backups: ${described}`, { problem: 'mixed-sets', sets: [...sets.keys()] })
  }
  const [first] = shares as [DecodedShare]
  if (options.vaultId !== undefined && !equal(first.setId.subarray(0, 2), vaultTag(options.vaultId))) {
    throw backupInvalid('These shares were not made for this vault', { problem: 'other-vault' })
  }
  const threshold = oddOnesOut(shares, (share) => String(share.threshold))
  if (threshold !== undefined) {
    throw backupInvalid(`The shares disagree on how many are needed: ${threshold}`, { problem: 'threshold' })
  }
  const check = oddOnesOut(shares, (share) => base32crockford.encode(share.check))
  if (check !== undefined) {
    throw backupInvalid(`The shares carry different secret checks, so some were altered: ${check}`, { problem: 'check' })
  }
}

/** Undefined when every share agrees on `key`; otherwise says which shares stand out from the majority. */
function oddOnesOut(shares: readonly DecodedShare[], key: (share: DecodedShare) => string): string | undefined {
  const groups = new Map<string, number[]>()
  shares.forEach((share, i) => groups.set(key(share), [...(groups.get(key(share)) ?? []), i + 1]))
  if (groups.size === 1) return undefined
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length)
  const [largest, second] = sorted as [number[], number[]]
  if (largest.length === second.length) return `${sorted.map(list).join(' vs ')}`
  return `${list(sorted.slice(1).flat().sort((a, b) => a - b))} differ${sorted.slice(1).flat().length === 1 ? 's' : ''} from the others`
}

function withoutDuplicates(shares: readonly DecodedShare[]): DecodedShare[] {
  const seen = new Map<number, number>()
  const xs = new Map<number, number>()
  shares.forEach((share, i) => {
    const x = share.point[share.point.length - 1] as number
    const earlier = seen.get(share.index) ?? xs.get(x)
    if (earlier !== undefined) {
      throw backupInvalid(`Share ${i + 1} duplicates share ${earlier} (index ${share.index}): give each share once`, { share: i + 1, problem: 'duplicate' })
    }
    seen.set(share.index, i + 1)
    xs.set(x, i + 1)
  })
  return [...shares]
}

export async function combineRootKeyShares(shares: readonly string[], options: { vaultId?: string } = {}): Promise<Uint8Array> {
  if (!Array.isArray(shares)) throw new TypeError('shares must be an array of strings')
  if (shares.length === 0) throw backupInvalid('No shares were given', { problem: 'empty' })
  const decoded = shares.map((text, i) => decodeShare(text, i + 1))
  checkSameSet(decoded, options)
  const distinct = withoutDuplicates(decoded)
  const [first] = distinct as [DecodedShare]
  if (distinct.length < first.threshold) {
    throw backupInvalid(`This backup needs ${first.threshold} shares; ${distinct.length} given`, { problem: 'too-few', threshold: first.threshold, given: distinct.length })
  }
  let secret: Uint8Array
  try {
    secret = await combine(distinct.map((share) => share.point))
  } catch {
    throw backupInvalid('The shares could not be combined', { problem: 'combine' })
  }
  if (secretCheckMatches(secret, first.setId, first.threshold, first.check)) return secret
  secret.fill(0)
  const off = await findSharesOffTheSecret(distinct, first)
  const culprit = off.length > 0 ? `: ${list(off.map((share) => decoded.indexOf(share) + 1))} do${off.length === 1 ? 'es' : ''} not fit the others` : ''
  throw backupInvalid(`The shares do not give back the secret they were made from${culprit}`, {
    problem: 'secret-check',
    ...(off.length > 0 ? { shares: off.map((share) => decoded.indexOf(share) + 1) } : {}),
  })
}
