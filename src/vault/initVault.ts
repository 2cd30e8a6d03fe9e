/**
 * `coffre init`: the data directory, the local root key file (0600) when it does not exist yet, and
 * the first data key. Idempotent. A vault that already holds data keys but lost its key file is
 * never given a new one: that would strand every secret (restore the key instead).
 */
import { existsSync } from 'node:fs'
import type { VaultConfig } from '../config.ts'
import { createRootKeyFile } from '../keyProviders/local.ts'
import { CoffreError } from '../errors.ts'
import { listDataKeys } from '../store/dataKeys.ts'
import { openStore } from '../store/openStore.ts'
import { openVault } from './openVault.ts'
import type { VaultInfo } from './vault.ts'

export type InitResult = VaultInfo & { readonly createdKeyFile: boolean }

export async function initVault(config: VaultConfig): Promise<InitResult> {
  let createdKeyFile = false
  if (config.rootKey.kind === 'local' && 'keyFile' in config.rootKey && !existsSync(config.rootKey.keyFile)) {
    const store = await openStore(config.store)
    const existingKeys = await listDataKeys(store.db).finally(() => store.close())
    if (existingKeys.length > 0) {
      throw new CoffreError('COFFRE_ROOT_KEY_MISSING', `this vault already has data keys but the root key file ${config.rootKey.keyFile} is missing; restore it (coffre backup restore) instead of creating a new one`)
    }
    createRootKeyFile(config.rootKey.keyFile)
    createdKeyFile = true
  }
  const vault = await openVault(config)
  try {
    return { ...vault.info(), createdKeyFile }
  } finally {
    await vault.close()
  }
}
