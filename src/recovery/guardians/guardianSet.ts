/**
 * A user's guardians and how many must approve an account recovery. Guardians are secp256k1 public
 * keys (compressed), registered as a seed-004 pair: `guardianSetFromPair` makes each key of the pair
 * one guardian; `createGuardianSet` also takes guardians holding several keys (a guardian with two
 * devices still counts once).
 *
 * The threshold rule, and why: 1 ≤ t < n, so n ≥ 2.
 * - t < n: losing one guardian must never lose the recovery (the seed's `t = len(guardians)` flaw:
 *   every guardian required, so one lost phone ends it).
 * - t ≥ 1: at least one approval; with t = 1 any single guardian can start a move, which the waiting
 *   period and the owner's cancel then guard (Argent's and Safe's recovery rely on the same delay).
 * - n = 1 is refused: with a single guardian no t satisfies t < n — that guardian would alone
 *   decide, and losing them would end recovery.
 * Default t: a majority rounded up, ceil(n/2), capped at n − 1 (Argent's rule): 2 → 1, 3 → 2,
 * 4 → 2, 5 → 3.
 */
import { invalidInput } from '../../errors.ts'
import { assertPairConfig, listPairKeys, type PairConfig } from '../../derive/pairConfig.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'

export const MAX_GUARDIANS = 16
const SET_ID = /^[A-Za-z0-9._:#-]{1,128}$/

export type Guardian = { readonly id: string; readonly publicKeys: readonly string[] }

export type GuardianSet = {
  /** Names this exact set, e.g. "<pairUuid>#<version>"; recovery requests carry it, so rotating the set voids them. */
  readonly id: string
  readonly threshold: number
  readonly guardians: readonly Guardian[]
}

export function defaultGuardianThreshold(guardians: number): number {
  return Math.max(1, Math.min(guardians - 1, Math.ceil(guardians / 2)))
}

export function assertGuardianThreshold(threshold: unknown, guardians: number): asserts threshold is number {
  if (guardians < 2) throw invalidInput('a user needs at least two guardians (a threshold below the number of guardians is required)', { field: 'guardians' })
  if (guardians > MAX_GUARDIANS) throw invalidInput(`a user can have at most ${MAX_GUARDIANS} guardians`, { field: 'guardians' })
  if (!Number.isInteger(threshold) || (threshold as number) < 1 || (threshold as number) >= guardians) {
    throw invalidInput(`threshold must be an integer from 1 to ${guardians - 1} (fewer than the ${guardians} guardians)`, { field: 'threshold' })
  }
}

export function createGuardianSet(input: { id: string; threshold?: number; guardians: readonly Guardian[] }): GuardianSet {
  if (input === null || typeof input !== 'object') throw new TypeError('guardian set must be an object')
  if (typeof input.id !== 'string' || !SET_ID.test(input.id)) throw invalidInput('guardian set id must be 1–128 characters of A–Z a–z 0–9 . _ : # -', { field: 'id' })
  if (!Array.isArray(input.guardians)) throw invalidInput('guardians must be an array', { field: 'guardians' })
  const owner = new Map<string, string>()
  const guardians = input.guardians.map((guardian, i): Guardian => {
    if (typeof guardian?.id !== 'string' || guardian.id.length === 0) throw invalidInput(`guardians[${i}].id must be a non-empty string`, { field: 'guardians' })
    if (!Array.isArray(guardian.publicKeys) || guardian.publicKeys.length === 0) throw invalidInput(`guardians[${i}] needs at least one public key`, { field: 'guardians' })
    const keys: string[] = [...new Set((guardian.publicKeys as readonly unknown[]).map((key) => parsePublicKeyHex(key, `guardians[${i}].publicKeys`).hex))]
    for (const key of keys) {
      const other = owner.get(key)
      if (other !== undefined && other !== guardian.id) throw invalidInput(`a public key belongs to two guardians (${other} and ${guardian.id})`, { field: 'guardians' })
      owner.set(key, guardian.id)
    }
    return Object.freeze({ id: guardian.id, publicKeys: Object.freeze(keys) })
  })
  if (new Set(guardians.map((g) => g.id)).size !== guardians.length) throw invalidInput('two guardians have the same id', { field: 'guardians' })
  const threshold = input.threshold ?? defaultGuardianThreshold(guardians.length)
  assertGuardianThreshold(threshold, guardians.length)
  return Object.freeze({ id: input.id, threshold, guardians: Object.freeze(guardians) })
}

/** One guardian per key of the user's guardian pair (`publicKey` ∪ `publicKeys`), each guardian's id its key. */
export function guardianSetFromPair(pair: PairConfig, options: { version: number; threshold?: number }): GuardianSet {
  assertPairConfig(pair)
  if (!Number.isSafeInteger(options?.version) || options.version < 1) throw invalidInput('version must be a positive integer', { field: 'version' })
  const keys = listPairKeys(pair, 'curve')
  return createGuardianSet({
    id: `${pair.uuid}#${options.version}`,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    guardians: keys.map((key) => ({ id: key, publicKeys: [key] })),
  })
}

/** The guardian owning `publicKeyHex` (lowercase compressed), if any. */
export function findGuardian(set: GuardianSet, publicKeyHex: string): Guardian | undefined {
  return set.guardians.find((guardian) => guardian.publicKeys.includes(publicKeyHex))
}
