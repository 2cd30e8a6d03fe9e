/**
 * `vault.backup.split`: Shamir shares of the local root key, or — when the root key is held by
 * pkcs11 or aws-kms and cannot be read out — of a new recovery key (recoveryKey.ts). The shares
 * come back with `confirm()`, which the caller runs once they have reached the operator: only then
 * does a new recovery key replace the previous one (a local root key needs no confirmation).
 */
import type { RootKeyConfig } from '../../config.ts'
import { readLocalRootKey } from '../../keyProviders/local.ts'
import { CoffreError } from '../../errors.ts'
import { splitRootKey } from '../../ops/backup/splitRootKey.ts'
import { readVaultId } from '../../store/vaultMeta.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { confirmRecoveryKey, createPendingRecoveryKey } from './recoveryKey.ts'

export type SplitInput = { readonly shares: number; readonly threshold: number }

export type BackupSplit = {
  readonly shares: string[]
  readonly threshold: number
  readonly rootKeyRef: string
  /** Set when the shares are of a recovery key (pkcs11 / aws-kms root key). */
  readonly recoveryKeyRef?: string
  /** Makes a new recovery key current once its shares are out (dropping the previous one); a no-op for a local root key. */
  confirm(): Promise<void>
}

export async function splitBackup(ctx: VaultContext, input: SplitInput, options: ActionOptions = {}): Promise<BackupSplit> {
  const actor = options.actor ?? DEFAULT_ACTOR
  const { kind, keyRef: rootKeyRef } = ctx.keyring.provider.info
  const vaultId = await readVaultId(ctx.store.db)
  if (kind === 'local') {
    const key = localRootKey(ctx.config.rootKey)
    try {
      const shares = await splitRootKey(key, { ...input, vaultId })
      await ctx.audit.append({ action: 'backup.split', actor, subject: `root_key:${rootKeyRef}`, details: { ...input } })
      return { shares, threshold: input.threshold, rootKeyRef, confirm: async () => undefined }
    } finally {
      key.fill(0)
    }
  }
  const recovery = await createPendingRecoveryKey({ store: ctx.store, keyring: ctx.keyring, actor }, input)
  try {
    const shares = await splitRootKey(recovery.key, { ...input, vaultId })
    let confirmed = false
    return {
      shares,
      threshold: input.threshold,
      rootKeyRef,
      recoveryKeyRef: recovery.keyRef,
      async confirm() {
        if (confirmed) return
        if (!(await confirmRecoveryKey({ store: ctx.store, actor }, recovery.keyRef))) {
          throw new CoffreError('COFFRE_CONFLICT', `recovery key ${recovery.keyRef} was replaced by another backup split before it was confirmed; use that split's shares`)
        }
        confirmed = true
      },
    }
  } finally {
    recovery.key.fill(0)
  }
}

function localRootKey(config: RootKeyConfig): Uint8Array {
  if (config.kind !== 'local') throw new CoffreError('COFFRE_UNSUPPORTED', `the root key is held by ${config.kind} and cannot be read out to split`)
  return readLocalRootKey('masterKey' in config ? { key: config.masterKey } : { keyFile: config.keyFile })
}
