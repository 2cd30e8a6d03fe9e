/**
 * `coffre keys rotate-root`: opens the target root key (creating a local key file, or the HSM key,
 * when asked), opens the vault with the current one and rewraps every data key under the target.
 * A run after one that committed and then died finds the vault already on the target and says so.
 */
import { existsSync } from 'node:fs'
import type { RootKeyConfig, VaultConfig } from '../../config.ts'
import { createRootKeyFile } from '../../keyProviders/local.ts'
import { openKeyProvider } from '../../keyProviders/openKeyProvider.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { isCoffreError } from '../../errors.ts'
import { rootKeyRotatedTo, type RootKeyRotationSummary } from '../rotation/rotateRootKey.ts'
import { openStore } from '../../store/openStore.ts'
import type { ActionOptions } from '../context.ts'
import { openVault } from '../openVault.ts'

export type RootKeyRotationResult =
  | (RootKeyRotationSummary & { readonly alreadyRotated?: undefined; readonly createdKeyFile: boolean })
  | { readonly alreadyRotated: true; readonly to: { readonly kind: string; readonly keyRef: string }; readonly dataKeys: number; readonly createdKeyFile: boolean }

export async function rotateRootKeyTo(config: VaultConfig, target: RootKeyConfig, options: ActionOptions = {}): Promise<RootKeyRotationResult> {
  let createdKeyFile = false
  if (target.kind === 'local' && 'keyFile' in target && !existsSync(target.keyFile)) {
    createRootKeyFile(target.keyFile)
    createdKeyFile = true
  }
  const provider = await openKeyProvider(target.kind === 'pkcs11' ? { ...target, createKey: true } : target)
  try {
    let vault: Awaited<ReturnType<typeof openVault>>
    try {
      vault = await openVault(config)
    } catch (error) {
      // Run again after a run that committed and then died: the vault is already on the target.
      if (!(isCoffreError(error) && error.code === 'COFFRE_ROOT_KEY_INVALID')) throw error
      const dataKeys = await rotatedAlready(config, provider)
      if (dataKeys === null) throw error
      return { alreadyRotated: true, to: { kind: provider.info.kind, keyRef: provider.info.keyRef }, dataKeys, createdKeyFile }
    }
    try {
      return { ...(await vault.keys.rotateRoot(provider, options)), createdKeyFile }
    } finally {
      await vault.close()
    }
  } finally {
    await provider.close()
  }
}

async function rotatedAlready(config: VaultConfig, target: KeyProvider): Promise<number | null> {
  const store = await openStore(config.store)
  try {
    return await rootKeyRotatedTo(store.db, target)
  } catch {
    return null
  } finally {
    await store.close()
  }
}
