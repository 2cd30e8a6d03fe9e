/**
 * `users backup create`: splits the user's BIP-39 entropy t-of-3 (recovery/shares) and places the
 * shares — 1 sealed in the vault (user_backups.vault_share_ciphertext, under the keyring like every
 * secret column, so rotation and doctor cover it), 2 in object storage (write-once, object-locked),
 * 3 sealed to the user (HPKE or passphrase) and returned once. The entropy is used through
 * `useUserEntropy`, the same audited key-use path as signing. Order: the inputs are checked, the
 * entropy is split, share 3 is sealed, share 2 is written, then one transaction writes the row and
 * the `user.backup.create` audit entry; a failure before the commit leaves at most an orphan
 * object under a fresh backup id (it names no user), never a row that points nowhere.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import { sealShareToX25519, type HpkeSealedShare } from '../../recovery/sealing/sealShareToX25519.ts'
import { sealShareWithPassphrase, type PassphraseSealedShare } from '../../recovery/sealing/sealShareWithPassphrase.ts'
import { splitUserEntropy } from '../../recovery/shares/splitUserEntropy.ts'
import { secretPlace } from '../../store/secretColumns.ts'
import { insertUserBackup, type UserBackupRow } from '../../store/userBackups.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { useUserEntropy } from '../keys/useKey.ts'
import { authorize } from '../policies/authorize.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { writeSealed } from '../writeTransaction.ts'
import { userBackupContext } from './backupContext.ts'
import { OBJECT_SHARE_INDEX, parseBackupThreshold, parseUserShareSealing, PLACED_SHARES, requireObjectStore, USER_SHARE_INDEX, VAULT_SHARE_INDEX, type BackupObjectStoreSource, type UserShareSealing } from './backupPlacement.ts'

export type CreateUserBackupInput = {
  readonly userShare: UserShareSealing
  /** Shares needed to restore: 2 (default) or 3. */
  readonly threshold?: number
  /** Always 3 (the three places); accepted for clarity. */
  readonly shares?: number
}

export type UserBackup = {
  readonly userId: string
  readonly backupId: string
  readonly threshold: number
  readonly shares: number
  readonly vaultShare: { readonly index: number }
  readonly objectShare: { readonly index: number; readonly bucket: string; readonly key: string; readonly versionId: string | null; readonly lockedUntil: string | null }
  readonly userShare: { readonly index: number; readonly format: string }
  readonly createdAt: string
}

/** The created backup, with share 3 sealed for the user: shown once, never stored. */
export type CreatedUserBackup = UserBackup & { readonly sealedUserShare: HpkeSealedShare | PassphraseSealedShare }

export const vaultSharePlace = (backupId: string, userId: string) => secretPlace('user_backups', 'vault_share_ciphertext', { id: backupId, user_id: userId })

export function toUserBackup(row: UserBackupRow): UserBackup {
  return {
    userId: row.user_id,
    backupId: row.id,
    threshold: row.threshold,
    shares: row.share_count,
    vaultShare: { index: row.vault_share_index },
    objectShare: { index: row.object_share_index, bucket: row.object_bucket, key: row.object_key, versionId: row.object_version_id, lockedUntil: row.object_locked_until },
    userShare: { index: row.user_share_index, format: row.user_share_format },
    createdAt: row.created_at,
  }
}

export async function createUserBackup(ctx: VaultContext, objectStore: BackupObjectStoreSource | undefined, ref: UserRef, input: CreateUserBackupInput, options: ActionOptions = {}): Promise<CreatedUserBackup> {
  if (input === null || typeof input !== 'object') throw new TypeError('input must be an object')
  const sealing = parseUserShareSealing(input.userShare)
  const threshold = parseBackupThreshold(input.threshold, input.shares)
  const objects = await requireObjectStore(objectStore)
  const { user } = await requireUserRows(ctx, ref)
  const context = await userBackupContext(ctx, user.id)
  const backupId = newUuidV7()
  const actor = options.actor ?? DEFAULT_ACTOR

  // A backup hands shares of the wallet's entropy out of the vault: governed like an export.
  const authorized = await authorize(ctx, options, { id: user.id }, { operation: 'users.export' })
  const split = await useUserEntropy(ctx, { id: user.id }, { purpose: 'backup', actor, details: { backupId }, authorized }, (entropy) =>
    splitUserEntropy(entropy, { threshold, shares: PLACED_SHARES, purpose: 'backup', context, backupId }),
  )
  const share = (index: number) => split.shares[index - 1] as Uint8Array
  try {
    const sealedUserShare = sealing.kind === 'hpke' ? await sealShareToX25519(share(USER_SHARE_INDEX), sealing.recipient) : await sealShareWithPassphrase(share(USER_SHARE_INDEX), sealing.passphrase)
    const stored = await objects.store.put({ backupId, index: OBJECT_SHARE_INDEX }, share(OBJECT_SHARE_INDEX))
    const place = vaultSharePlace(backupId, user.id)
    const row = await writeSealed(
      ctx,
      async (sealer) => {
        const ciphertext = sealer.seal(share(VAULT_SHARE_INDEX), place)
        const back = await ctx.keyring.decrypt(ciphertext, place)
        const same = back.length === share(VAULT_SHARE_INDEX).length && timingSafeEqual(back, share(VAULT_SHARE_INDEX))
        back.fill(0)
        if (!same) throw new CoffreError('COFFRE_DECRYPT_FAILED', 'the sealed vault share did not decrypt back to itself')
        return ciphertext
      },
      async (trx, ciphertext) => {
        const row: UserBackupRow = {
          id: backupId,
          user_id: user.id,
          threshold,
          share_count: PLACED_SHARES,
          vault_share_index: VAULT_SHARE_INDEX,
          vault_share_ciphertext: ciphertext,
          object_share_index: OBJECT_SHARE_INDEX,
          object_bucket: objects.bucket,
          object_key: stored.key,
          object_version_id: stored.versionId,
          object_locked_until: stored.lockedUntil,
          object_sha256: stored.sha256,
          user_share_index: USER_SHARE_INDEX,
          user_share_format: sealedUserShare.format,
          created_at: new Date().toISOString(),
        }
        await insertUserBackup(trx, row)
        const details = { backupId, threshold, shares: PLACED_SHARES, objectKey: stored.key, objectLocked: stored.lockedUntil !== null, userShareFormat: sealedUserShare.format }
        return { result: row, audit: [{ action: 'user.backup.create', actor, userId: user.id, subject: `backup:${backupId}`, details }] }
      },
      { encryptions: 1 },
    )
    return { ...toUserBackup(row), sealedUserShare }
  } finally {
    for (const s of split.shares) s.fill(0)
  }
}
