/** Opens a vault on a fresh test store with a random local root key. */
import { randomBytes } from 'node:crypto'
import type { VaultConfig } from '../../src/config.ts'
import { openVault, type OpenVaultOptions, type Vault } from '../../src/vault/openVault.ts'
import { createTestStore, type Engine, type TestStore } from './engines.ts'

export type TestVault = { vault: Vault; store: TestStore; config: VaultConfig; rootKey: Uint8Array; cleanup(): Promise<void> }

export async function openTestVault(engine: Engine, overrides: Partial<VaultConfig> = {}, options: OpenVaultOptions = {}): Promise<TestVault> {
  const store = await createTestStore(engine)
  const rootKey = new Uint8Array(randomBytes(32))
  const config: VaultConfig = { store: store.config, rootKey: { kind: 'local', masterKey: rootKey }, mnemonicWords: 12, ...overrides }
  const vault = await openVault(config, options)
  return {
    vault,
    store,
    config,
    rootKey,
    async cleanup() {
      await vault.close()
      await store.cleanup()
    },
  }
}
