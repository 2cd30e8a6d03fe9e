/**
 * `vault.guardians`: a user's guardians (issue 14). Their secp256k1 keys are registered as a
 * seed-004 pair (a new remote pair, or an existing one by uuid) and copied into the guardian set,
 * so a later edit of the pair cannot add a guardian. Threshold t < n (recovery/guardians). The
 * user's entropy — used through `useUserEntropy`, the audited key-use path — is split for the
 * guardians (max(2, t)-of-n: Shamir needs two shares at least) and each share sealed to its
 * guardian with ECIES; the sealed shares are kept for export, never a plain share. Adding when a
 * set is active rotates: the old set is removed, its open recovery requests cancelled, and its
 * backup id no longer accepted. One transaction per change, with its audit entry.
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { assertGuardianThreshold, defaultGuardianThreshold, guardianSetFromPair, MAX_GUARDIANS, type GuardianSet } from '../../recovery/guardians/guardianSet.ts'
import { sealShareToGuardian, type GuardianSealedShare } from '../../recovery/sealing/sealShareToGuardian.ts'
import { splitUserEntropy } from '../../recovery/shares/splitUserEntropy.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { findActiveGuardianSet, insertGuardianSet, lastGuardianSetVersion, removeActiveGuardianSet, type GuardianSetRow } from '../../store/guardianSets.ts'
import { cancelOpenRecoveryRequests } from '../../store/recoveryRequests.ts'
import { newUuidV7 } from '../../ids.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { useUserEntropy } from '../keys/useKey.ts'
import { authorize } from '../policies/authorize.ts'
import type { DerivedKeyServices } from '../pairs/derivedKeyServices.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { userBackupContext } from '../userBackup/backupContext.ts'

export type AddGuardiansInput = {
  /** The guardians' compressed secp256k1 public keys (a new pair is made of them)… */
  readonly publicKeys?: readonly string[]
  /** …or an existing remote pair whose keys are the guardians. */
  readonly pairUuid?: string
  /** Approvals needed, 1 ≤ t < n (default ceil(n/2), at most n − 1). */
  readonly threshold?: number
}

export type UserGuardians = {
  readonly userId: string
  /** `<pairUuid>#<version>`: recovery requests name it. */
  readonly setId: string
  readonly pairUuid: string
  readonly version: number
  readonly threshold: number
  readonly guardians: readonly string[]
  readonly backupId: string
  /** One share per guardian, sealed to its key (hand each guardian its own). */
  readonly sealedShares: readonly GuardianSealedShare[]
  readonly createdAt: string
}

export type GuardianService = {
  add(ref: UserRef, input: AddGuardiansInput, options?: ActionOptions): Promise<UserGuardians>
  get(ref: UserRef): Promise<UserGuardians | null>
  remove(ref: UserRef, options?: ActionOptions): Promise<{ readonly userId: string; readonly setId: string; readonly cancelledRequests: number }>
}

export function toUserGuardians(row: GuardianSetRow): UserGuardians {
  return {
    userId: row.user_id,
    setId: row.id,
    pairUuid: row.pair_uuid,
    version: row.version,
    threshold: row.threshold,
    guardians: JSON.parse(row.guardian_keys) as string[],
    backupId: row.backup_id,
    sealedShares: JSON.parse(row.sealed_shares) as GuardianSealedShare[],
    createdAt: row.created_at,
  }
}

/** The guardian set a stored row describes (for verifying approvals). */
export function guardianSetOf(row: GuardianSetRow): GuardianSet {
  const keys = JSON.parse(row.guardian_keys) as string[]
  return guardianSetFromPair({ uuid: row.pair_uuid, publicKey: keys[0] as string, publicKeys: keys.slice(1) }, { version: row.version, threshold: row.threshold })
}

function parseKeys(keys: unknown): string[] {
  if (!Array.isArray(keys)) throw invalidInput('publicKeys must be a list of compressed secp256k1 public keys', { field: 'publicKeys' })
  if (keys.length > MAX_GUARDIANS) throw invalidInput(`a user can have at most ${MAX_GUARDIANS} guardians`, { field: 'publicKeys' })
  const parsed = keys.map((key, i) => parsePublicKeyHex(key, `publicKeys[${i}]`).hex)
  if (new Set(parsed).size !== parsed.length) throw invalidInput('a guardian key is listed twice', { field: 'publicKeys' })
  return parsed
}

export function createGuardianService(ctx: VaultContext, pairs: DerivedKeyServices['pairs']): GuardianService {
  return {
    async add(ref, input, options = {}) {
      if (input === null || typeof input !== 'object') throw new TypeError('input must be an object')
      if ((input.publicKeys === undefined) === (input.pairUuid === undefined)) throw invalidInput('give exactly one of publicKeys or pairUuid', { field: 'publicKeys' })
      const actor = options.actor ?? DEFAULT_ACTOR
      const { user } = await requireUserRows(ctx, ref)
      // Guardian shares leave the vault (sealed to keys the caller names): governed like an export,
      // decided before anything (the guardians' pair included) is written.
      const authorized = await authorize(ctx, options, { id: user.id }, { operation: 'users.export' })
      if (user.mnemonic_ciphertext === null) throw new CoffreError('COFFRE_UNSUPPORTED', 'user has no mnemonic (imported from keys): there is nothing for guardians to hold')
      let keys: string[]
      let pairUuid: string | undefined
      if (input.pairUuid !== undefined) {
        const pair = await pairs.get(input.pairUuid)
        if (pair === null) throw new CoffreError('COFFRE_NOT_FOUND', 'no such pair')
        if (pair.userId !== null) throw invalidInput('a local pair (a user\'s own identity) cannot be guardians', { field: 'pairUuid' })
        keys = [...(pair.publicKey === undefined ? [] : [pair.publicKey]), ...pair.publicKeys]
        pairUuid = pair.uuid
      } else {
        keys = parseKeys(input.publicKeys)
      }
      const threshold = input.threshold ?? defaultGuardianThreshold(keys.length)
      assertGuardianThreshold(threshold, keys.length)
      const version = (await lastGuardianSetVersion(ctx.store.db, user.id)) + 1
      if (pairUuid === undefined) {
        const pair = await pairs.create({ publicKey: keys[0] as string, publicKeys: keys.slice(1), label: `guardians of ${user.id} v${version}` }, { actor })
        pairUuid = pair.uuid
      }
      const set = guardianSetFromPair({ uuid: pairUuid, publicKey: keys[0] as string, publicKeys: keys.slice(1) }, { version, threshold })
      const context = await userBackupContext(ctx, user.id)
      const backupId = newUuidV7()
      const split = await useUserEntropy(ctx, { id: user.id }, { purpose: 'guardians', actor, details: { setId: set.id }, authorized }, (entropy) =>
        splitUserEntropy(entropy, { threshold: Math.max(2, threshold), shares: keys.length, purpose: 'guardians', context, backupId }),
      )
      let sealedShares: GuardianSealedShare[]
      try {
        sealedShares = split.shares.map((share, i) => sealShareToGuardian(share, keys[i] as string))
      } finally {
        for (const share of split.shares) share.fill(0)
      }
      const at = new Date().toISOString()
      const row: GuardianSetRow = {
        id: set.id, user_id: user.id, pair_uuid: pairUuid, version, threshold, guardian_keys: JSON.stringify(keys), backup_id: backupId,
        sealed_shares: JSON.stringify(sealedShares), state: 'active', created_at: at, removed_at: null,
      }
      await ctx.store.db.transaction().execute(async (trx) => {
        const rotated = await removeActiveGuardianSet(trx, user.id, at)
        const cancelled = await cancelOpenRecoveryRequests(trx, user.id, at)
        await insertGuardianSet(trx, row)
        const details = { setId: set.id, threshold, guardians: keys.length, backupId, rotated: rotated > 0, cancelledRequests: cancelled }
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'user.guardians.add', actor, userId: user.id, subject: `guardians:${set.id}`, details }])
      })
      ctx.observer.audited?.('user.guardians.add', 1)
      ctx.logger.info({ audit: 'user.guardians.add', actor, userId: user.id, subject: `guardians:${set.id}` }, 'audit')
      return toUserGuardians(row)
    },

    async get(ref) {
      const { user } = await requireUserRows(ctx, ref)
      const row = await findActiveGuardianSet(ctx.store.db, user.id)
      return row === undefined ? null : toUserGuardians(row)
    },

    async remove(ref, options = {}) {
      const actor = options.actor ?? DEFAULT_ACTOR
      const { user } = await requireUserRows(ctx, ref)
      const active = await findActiveGuardianSet(ctx.store.db, user.id)
      if (active === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'the user has no guardians')
      const at = new Date().toISOString()
      const cancelled = await ctx.store.db.transaction().execute(async (trx) => {
        if ((await removeActiveGuardianSet(trx, user.id, at)) !== 1) throw new CoffreError('COFFRE_CONFLICT', 'the guardians changed meanwhile')
        const cancelled = await cancelOpenRecoveryRequests(trx, user.id, at)
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'user.guardians.remove', actor, userId: user.id, subject: `guardians:${active.id}`, details: { cancelledRequests: cancelled } }])
        return cancelled
      })
      ctx.observer.audited?.('user.guardians.remove', 1)
      return { userId: user.id, setId: active.id, cancelledRequests: cancelled }
    },
  }
}
