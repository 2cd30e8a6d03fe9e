/**
 * The shares a restore combines: those the caller brings (share texts, e.g. the user's share it
 * opened with its X25519 key; or the user's passphrase-sealed envelope with its passphrase), then
 * the vault's share (decrypted through the audited secret path) and the object-storage share (the
 * recorded version, its SHA-256 re-checked), each unless the caller turns it off or already brought
 * that index. The caller wipes every returned share.
 */
import { invalidInput } from '../../errors.ts'
import { openShareWithPassphrase, PASSPHRASE_SHARE_FORMAT, type PassphraseSealedShare } from '../../recovery/sealing/sealShareWithPassphrase.ts'
import { decodeUserShare, userShareFromText } from '../../recovery/shares/userShareCodec.ts'
import type { UserBackupRow } from '../../store/userBackups.ts'
import type { VaultContext } from '../context.ts'
import { decryptSecret } from '../keys/decryptSecret.ts'
import { requireObjectStore, type BackupObjectStoreSource } from './backupPlacement.ts'
import { vaultSharePlace } from './createUserBackup.ts'

export type RestoreShareSources = {
  /** Share texts (`cfus1.…`) the caller holds. */
  readonly shares?: readonly string[]
  /** The user's passphrase-sealed share and its passphrase (the vault opens it). */
  readonly passphraseShare?: { readonly envelope: PassphraseSealedShare; readonly passphrase: string }
  /** Use the share sealed in the vault (default true). */
  readonly useVaultShare?: boolean
  /** Use the share in object storage (default true). */
  readonly useObjectShare?: boolean
}

export type ShareSource = 'supplied' | 'passphrase' | 'vault' | 'object-storage'
export type GatheredShare = { readonly share: Uint8Array; readonly source: ShareSource }

const MAX_SUPPLIED = 16

export async function gatherShares(ctx: VaultContext, objectStore: BackupObjectStoreSource | undefined, backup: UserBackupRow, sources: RestoreShareSources, actor: string): Promise<GatheredShare[]> {
  const supplied = sources.shares ?? []
  if (!Array.isArray(supplied) || supplied.length > MAX_SUPPLIED) throw invalidInput(`shares must be a list of at most ${MAX_SUPPLIED} share texts`, { field: 'shares' })
  const gathered: GatheredShare[] = []
  try {
    for (const [i, text] of supplied.entries()) {
      if (typeof text !== 'string') throw invalidInput('each share must be a cfus1. text', { field: 'shares' })
      gathered.push({ share: userShareFromText(text, i + 1), source: 'supplied' })
    }
    if (sources.passphraseShare !== undefined) {
      const { envelope, passphrase } = sources.passphraseShare
      if (envelope?.format !== PASSPHRASE_SHARE_FORMAT) throw invalidInput(`passphraseShare.envelope must be a ${PASSPHRASE_SHARE_FORMAT} envelope`, { field: 'passphraseShare' })
      gathered.push({ share: await openShareWithPassphrase(envelope, passphrase), source: 'passphrase' })
    }
    const has = (index: number) => gathered.some((g) => safeIndex(g.share) === index)
    if (sources.useVaultShare !== false && !has(backup.vault_share_index)) {
      const share = await decryptSecret(ctx, backup.vault_share_ciphertext, vaultSharePlace(backup.id, backup.user_id), { purpose: 'backup-restore', userId: backup.user_id, actor })
      gathered.push({ share, source: 'vault' })
    }
    if (sources.useObjectShare !== false && !has(backup.object_share_index)) {
      const objects = await requireObjectStore(objectStore)
      const share = await objects.store.get({ backupId: backup.id, index: backup.object_share_index }, backup.object_version_id === null ? {} : { versionId: backup.object_version_id })
      gathered.push({ share, source: 'object-storage' })
    }
    return gathered
  } catch (error) {
    for (const g of gathered) g.share.fill(0)
    throw error
  }
}

/** The index a share claims, or 0 when it does not decode (the combine then names the problem). */
function safeIndex(share: Uint8Array): number {
  try {
    return decodeUserShare(share).index
  } catch {
    return 0
  }
}
