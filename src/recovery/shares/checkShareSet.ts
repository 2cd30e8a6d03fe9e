/**
 * The checks made on decoded shares before any combining, each failure its own code: shares of
 * different backups (MIXED), the same share twice (DUPLICATED), fewer than the threshold
 * (TOO_FEW), and shares of a backup other than the one the caller expects (WRONG).
 */
import { timingSafeEqual } from 'node:crypto'
import { shareError } from './shareError.ts'
import { backupIdText, type SharePurpose, type UserShare } from './userShareCodec.ts'

export type ShareSetExpectation = {
  /** Refuse shares of any other backup (the vault passes the backup it recorded for the user). */
  readonly backupId?: string
  readonly purpose?: SharePurpose
}

const list = (positions: readonly number[]) => (positions.length === 1 ? `share ${positions[0]}` : `shares ${positions.join(', ')}`)
const headerKey = (share: UserShare) => `${share.purpose}/${share.threshold}/${share.count}/${share.secretLength}`

function groupBy(shares: readonly UserShare[], key: (share: UserShare) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  shares.forEach((share, i) => groups.set(key(share), [...(groups.get(key(share)) ?? []), i + 1]))
  return groups
}

function checkOneBackup(shares: readonly UserShare[]): void {
  const backups = groupBy(shares, (share) => backupIdText(share.backupId))
  if (backups.size > 1) {
    const described = [...backups].map(([id, positions]) => `${list(positions)} from backup ${id}`).join('; ')
    throw shareError('COFFRE_SHARES_MIXED', `The shares come from different backups: ${described}`, { problem: 'backups', backups: [...backups.keys()] })
  }
  const headers = groupBy(shares, headerKey)
  if (headers.size > 1) {
    const described = [...headers].map(([header, positions]) => `${list(positions)}: ${header}`).join('; ')
    throw shareError('COFFRE_SHARES_MIXED', `The shares disagree on purpose/threshold/count/length: ${described}`, { problem: 'header' })
  }
}

function checkExpected(share: UserShare, expected: ShareSetExpectation): void {
  if (expected.backupId !== undefined && backupIdText(share.backupId) !== expected.backupId) {
    throw shareError('COFFRE_SHARES_WRONG', 'The shares belong to another backup than the one expected', { problem: 'other-backup', backupId: backupIdText(share.backupId) })
  }
  if (expected.purpose !== undefined && share.purpose !== expected.purpose) {
    throw shareError('COFFRE_SHARES_WRONG', `The shares were made for ${share.purpose}, not ${expected.purpose}`, { problem: 'purpose' })
  }
}

function checkDistinct(shares: readonly UserShare[]): void {
  const byIndex = new Map<number, number>()
  const byX = new Map<number, number>()
  shares.forEach((share, i) => {
    const earlier = byIndex.get(share.index) ?? byX.get(share.x)
    if (earlier !== undefined) {
      const other = shares[earlier - 1] as UserShare
      const same = other.index === share.index && other.x === share.x && timingSafeEqual(other.y, share.y)
      throw shareError(
        'COFFRE_SHARE_DUPLICATED',
        same ? `Share ${i + 1} is share ${earlier} again (index ${share.index}): give each share once` : `Shares ${earlier} and ${i + 1} both claim index ${share.index} (or one evaluation point)`,
        { share: i + 1, duplicateOf: earlier, problem: same ? 'same-share' : 'same-index' },
      )
    }
    byIndex.set(share.index, i + 1)
    byX.set(share.x, i + 1)
  })
}

/** Throws the first problem found, in the order above; returns the common threshold. */
export function checkShareSet(shares: readonly UserShare[], expected: ShareSetExpectation = {}): number {
  if (shares.length === 0) throw shareError('COFFRE_SHARES_TOO_FEW', 'No shares were given', { given: 0 })
  checkOneBackup(shares)
  const [first] = shares as [UserShare]
  checkExpected(first, expected)
  checkDistinct(shares)
  if (shares.length < first.threshold) {
    throw shareError('COFFRE_SHARES_TOO_FEW', `This backup needs ${first.threshold} shares; ${shares.length} given`, { threshold: first.threshold, given: shares.length })
  }
  return first.threshold
}
