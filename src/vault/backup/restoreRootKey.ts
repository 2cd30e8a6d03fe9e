/**
 * The restore drill (`coffre backup restore`): rebuilds a key from Shamir shares, proves it opens
 * every live data key of this vault, then writes it as a new 0600 key file (never overwriting one)
 * and audits the restore. The key is the local root key, or a recovery key (current or pending),
 * which opens the vault with `--key-file` until `keys rotate-root` makes a new primary root key.
 * Runs before any vault is open (the configured root key may be the one that was lost).
 */
import { statSync } from 'node:fs'
import type { VaultConfig } from '../../config.ts'
import { writeKeyFileDurably } from '../../keyProviders/keyFile.ts'
import { CoffreError, isCoffreError } from '../../errors.ts'
import { combineRootKeyShares } from '../../ops/backup/combineRootKeyShares.ts'
import { parseShares } from '../../ops/backup/parseShares.ts'
import { openStore } from '../../store/openStore.ts'
import { readRecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import { readVaultId } from '../../store/vaultMeta.ts'
import { DEFAULT_ACTOR, type ActionOptions } from '../context.ts'
import { contextOf } from '../internals.ts'
import { openVault } from '../openVault.ts'

export type RestoreInput = {
  /** Texts holding the shares (files or stdin), one or more shares each. */
  readonly shareTexts: readonly string[]
  /** The key file to write. */
  readonly out: string
}

export type RestoredKey = {
  readonly keyFile: string
  readonly keyRef: string
  /** True when the shares were of a recovery key (pkcs11 / aws-kms vault): rotate the root key next. */
  readonly recoveryKey: boolean
  readonly sharesUsed: number
}

export async function restoreRootKey(config: VaultConfig, input: RestoreInput, options: ActionOptions = {}): Promise<RestoredKey> {
  const shares = input.shareTexts.flatMap((text) => parseShares(text))
  const store = await openStore(config.store)
  const [vaultId, recoveryRefs] = await Promise.all([readVaultId(store.db), readRecoveryKeyRefs(store.db)]).finally(() => store.close())
  const key = await combineRootKeyShares(shares, vaultId === undefined ? {} : { vaultId })
  try {
    const vault = await openVault({ ...config, rootKey: { kind: 'local', masterKey: key } }).catch((error: unknown) => {
      if (isCoffreError(error) && error.code === 'COFFRE_ROOT_KEY_INVALID') throw new CoffreError('COFFRE_BACKUP_INVALID', 'the rebuilt key does not open this vault', { details: { problem: 'wrong-vault' } })
      throw error
    })
    try {
      const ctx = contextOf(vault)
      const report = await vault.doctor({ actor: options.actor ?? DEFAULT_ACTOR, secrets: false, scheduler: false })
      const rootKey = report.checks.find((c) => c.name === 'root-key')
      if (rootKey?.ok !== true) throw new CoffreError('COFFRE_BACKUP_INVALID', `the rebuilt key does not open every data key: ${rootKey?.detail ?? 'unknown'}`, { details: { problem: 'wrong-vault' } })
      const keyRef = ctx.keyring.provider.info.keyRef
      writeKeyFile(input.out, key)
      await ctx.audit.append({ action: 'backup.restore', actor: options.actor ?? DEFAULT_ACTOR, subject: `root_key:${keyRef}`, details: { shares: shares.length } })
      return { keyFile: input.out, keyRef, recoveryKey: keyRef === recoveryRefs.current || keyRef === recoveryRefs.pending, sharesUsed: shares.length }
    } finally {
      await vault.close()
    }
  } finally {
    key.fill(0)
  }
}

function writeKeyFile(path: string, key: Uint8Array): void {
  try {
    writeKeyFileDurably(path, key)
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST'
    throw new CoffreError(exists ? 'COFFRE_CONFLICT' : 'COFFRE_INVALID_INPUT', exists ? `${path} already exists; restore refuses to overwrite a key file` : `cannot write ${path}`, { cause })
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new CoffreError('COFFRE_INVALID_CONFIG', `${path} was created readable by others`)
}
