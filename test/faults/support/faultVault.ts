/**
 * A vault for one crash-matrix operation: a fresh store of the engine (test/support/engines.ts), a
 * 0600 root key file in its temp dir, the global CLI flags that open it, and the same
 * configuration parsed the way the CLI parses it, for in-process checks.
 */
import { join } from 'node:path'
import { parseVaultConfig, type VaultConfig } from '../../../src/config.ts'
import { coffreInProcess, type InProcessResult } from '../../support/cliInProcess.ts'
import { createTestStore, type Engine, type TestStore } from '../../support/engines.ts'
import type { PostgresServer } from '../../support/postgres.ts'

export type FaultVault = {
  readonly engine: Engine
  readonly store: TestStore
  readonly keyFile: string
  /** Global CLI flags of the store alone: --data-dir, --database-url (PostgreSQL). */
  readonly storeArgs: readonly string[]
  /** storeArgs and --key-file. */
  readonly args: readonly string[]
  /** The vault configuration with another root key, given as CLI options (e.g. keyProvider, pkcs11PinFile). */
  configWith(rootKeyOptions: Record<string, string>): VaultConfig
  readonly config: VaultConfig
  /** The CLI in this process (checks and re-runs; crashes use real processes). */
  cli(args: readonly string[]): Promise<InProcessResult>
  cleanup(): Promise<void>
}

export async function createFaultVault(engine: Engine, options: { init?: boolean; postgresServer?: PostgresServer; dir?: string } = {}): Promise<FaultVault> {
  const { init, ...storeOptions } = options
  const store = await createTestStore(engine, storeOptions)
  const keyFile = join(store.dir, 'root.key')
  const rawStore = { dataDir: store.dir, ...(store.config.kind === 'postgres' ? { databaseUrl: store.config.url } : {}) }
  const storeArgs = ['--data-dir', store.dir, ...(store.config.kind === 'postgres' ? ['--database-url', store.config.url] : [])]
  const args = [...storeArgs, '--key-file', keyFile]
  const configWith = (rootKeyOptions: Record<string, string>) => parseVaultConfig({ ...rawStore, ...rootKeyOptions }, {}, store.dir)
  const vault: FaultVault = {
    engine,
    store,
    keyFile,
    storeArgs,
    args,
    configWith,
    config: configWith({ keyFile }),
    cli: (more) => coffreInProcess([...args, ...more], {}),
    cleanup: () => store.cleanup(),
  }
  if (init !== false) {
    const init = await vault.cli(['init', '--json'])
    if (init.code !== 0) {
      await store.cleanup()
      throw new Error(`coffre init failed: ${init.stderr}`)
    }
  }
  return vault
}
