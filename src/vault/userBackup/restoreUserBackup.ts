/**
 * `users backup restore`: combines t shares of a user backup (gatherShares.ts) and, only if the
 * entropy they give derives the very addresses stored for the user, re-seals the user's mnemonic
 * entropy and wallet keys under the active data key (one transaction with the audit entry). Any
 * refusal — malformed, corrupted, mixed, duplicated, too few or wrong shares, another wallet — is
 * typed (recovery/shares/shareError.ts, COFFRE_ADDRESS_MISMATCH), audited, and writes nothing.
 * `verifyOnly` checks the shares and the addresses and writes nothing but the audit entry.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoffreError, isCoffreError } from '../../errors.ts'
import { combineUserShares } from '../../recovery/shares/combineUserShares.ts'
import { replaceUserSecrets } from '../../store/users.ts'
import { findUserBackup, latestUserBackup, type UserBackupRow } from '../../store/userBackups.ts'
import { walletMaterialFromEntropy, wipeWalletMaterial, type DerivedWalletMaterial } from '../../wallet/walletMaterial.ts'
import { UUID_PATTERN } from '../../ids.ts'
import { invalidInput } from '../../errors.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { mnemonicPlace, walletKeyPlace } from '../places.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import type { UserWithWallets } from '../../store/users.ts'
import { writeSealed } from '../writeTransaction.ts'
import { userBackupContext } from './backupContext.ts'
import type { BackupObjectStoreSource } from './backupPlacement.ts'
import { gatherShares, type RestoreShareSources, type ShareSource } from './gatherShares.ts'

export type RestoreUserBackupInput = RestoreShareSources & {
  /** The backup to restore (default: the user's newest). */
  readonly backupId?: string
  /** Check that the shares give back this user's wallet; write nothing. */
  readonly verifyOnly?: boolean
}

export type RestoredUserBackup = {
  readonly userId: string
  readonly backupId: string
  readonly threshold: number
  readonly sharesUsed: readonly { readonly index: number; readonly source: ShareSource }[]
  readonly polygonAddress: string
  readonly solanaAddress: string
  /** False for verifyOnly: the shares were checked, nothing was written. */
  readonly restored: boolean
}

async function pickBackup(ctx: VaultContext, userId: string, backupId: unknown): Promise<UserBackupRow> {
  if (backupId !== undefined && (typeof backupId !== 'string' || !UUID_PATTERN.test(backupId))) throw invalidInput('backupId must be a lowercase UUID', { field: 'backupId' })
  const row = backupId === undefined ? await latestUserBackup(ctx.store.db, userId) : await findUserBackup(ctx.store.db, userId, backupId)
  if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', backupId === undefined ? 'the user has no backup' : 'no such backup for this user')
  return row
}

function checkAddresses(rows: UserWithWallets, material: DerivedWalletMaterial): void {
  for (const wallet of rows.wallets) {
    const derived = wallet.chain === 'polygon' ? material.evm.address : material.solana.address
    if (derived !== wallet.address) throw new CoffreError('COFFRE_ADDRESS_MISMATCH', `the restored wallet's ${wallet.chain} address is not the stored one`, { details: { chain: wallet.chain } })
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b)

export async function restoreUserBackup(ctx: VaultContext, objectStore: BackupObjectStoreSource | undefined, ref: UserRef, input: RestoreUserBackupInput, options: ActionOptions = {}): Promise<RestoredUserBackup> {
  if (input === null || typeof input !== 'object') throw new TypeError('input must be an object')
  const actor = options.actor ?? DEFAULT_ACTOR
  const rows = await requireUserRows(ctx, ref)
  const userId = rows.user.id
  const backup = await pickBackup(ctx, userId, input.backupId)
  const subject = `backup:${backup.id}`
  const refuse = async (error: unknown): Promise<never> => {
    const code = isCoffreError(error) ? error.code : 'COFFRE_INTERNAL'
    await ctx.audit.append({ action: 'user.backup.restore', actor, userId, subject, details: { outcome: 'refused', code } })
    ctx.observer.audited?.('user.backup.restore', 1)
    ctx.logger.warn({ audit: 'user.backup.restore', actor, userId, subject, code }, 'audit')
    throw error
  }

  let material: DerivedWalletMaterial | undefined
  let sharesUsed: RestoredUserBackup['sharesUsed'] = []
  try {
    const context = await userBackupContext(ctx, userId)
    const gathered = await gatherShares(ctx, objectStore, backup, input, actor)
    try {
      const combined = await combineUserShares(gathered.map((g) => g.share), { context, backupId: backup.id, purpose: 'backup' })
      sharesUsed = combined.indexes.map((index, i) => ({ index, source: (gathered[i] as { source: ShareSource }).source }))
      try {
        material = walletMaterialFromEntropy(combined.entropy)
      } finally {
        combined.entropy.fill(0)
      }
    } finally {
      for (const g of gathered) g.share.fill(0)
    }
    checkAddresses(rows, material)
  } catch (error) {
    if (material !== undefined) wipeWalletMaterial(material)
    return refuse(error)
  }

  const polygon = rows.wallets.find((w) => w.chain === 'polygon')
  const solana = rows.wallets.find((w) => w.chain === 'solana')
  const result = { userId, backupId: backup.id, threshold: backup.threshold, sharesUsed, polygonAddress: polygon?.address ?? '', solanaAddress: solana?.address ?? '' }
  const details = { threshold: backup.threshold, shares: sharesUsed.map((s) => `${s.index}:${s.source}`).join(','), written: input.verifyOnly !== true }
  try {
    if (input.verifyOnly === true) {
      await ctx.audit.append({ action: 'user.backup.restore', actor, userId, subject, details: { outcome: 'verified', ...details } })
      ctx.observer.audited?.('user.backup.restore', 1)
      return { ...result, restored: false }
    }
    const secrets = material
    const wallets = rows.wallets.map((w) => ({ chain: w.chain, address: w.address, secret: w.chain === 'polygon' ? secrets.evm.privateKey : secrets.solana.secretKey }))
    await writeSealed(
      ctx,
      async (sealer) => {
        const items = [{ secret: secrets.entropy as Uint8Array, place: mnemonicPlace(userId) }, ...wallets.map((w) => ({ secret: w.secret, place: walletKeyPlace(userId, w.chain, w.address) }))]
        const sealed = items.map((item) => sealer.seal(item.secret, item.place))
        for (const [i, item] of items.entries()) {
          const back = await ctx.keyring.decrypt(sealed[i] as string, item.place)
          const ok = same(back, item.secret)
          back.fill(0)
          if (!ok) throw new CoffreError('COFFRE_DECRYPT_FAILED', 'a re-sealed secret did not decrypt back to itself')
        }
        return { mnemonicCiphertext: sealed[0] as string, wallets: wallets.map((w, i) => ({ chain: w.chain, address: w.address, ciphertext: sealed[i + 1] as string })) }
      },
      async (trx, sealed) => {
        const changed = await replaceUserSecrets(trx, userId, sealed)
        if (changed !== 1 + sealed.wallets.length) throw new CoffreError('COFFRE_CONFLICT', 'the user or a wallet changed during the restore; nothing was written')
        return { result: undefined, audit: [{ action: 'user.backup.restore', actor, userId, subject, details: { outcome: 'ok', ...details } }] }
      },
      { encryptions: 1 + wallets.length },
    )
    ctx.rowCache.invalidate(userId)
    return { ...result, restored: true }
  } finally {
    wipeWalletMaterial(material)
  }
}
