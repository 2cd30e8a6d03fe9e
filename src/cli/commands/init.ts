/** `coffre init`: creates the data directory, the root key file (0600) and the keyring. Idempotent. */
import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { parseVaultConfig, resolveDataDir } from '../../config.ts'
import { createRootKeyFile } from '../../crypto/providers/local.ts'
import { CoffreError } from '../../errors.ts'
import { listDataKeys } from '../../store/dataKeys.ts'
import { openStore } from '../../store/openStore.ts'
import { openVault } from '../../vault/openVault.ts'
import { outputFor, type CliContext } from '../context.ts'
import { print } from '../io.ts'

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the vault: data directory, root key file (mode 0600) and first data key')
    .action(async (_options, command: Command) => {
      const config = parseVaultConfig(command.optsWithGlobals(), ctx.env, ctx.cwd)
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
        const result = {
          dataDir: resolveDataDir(command.optsWithGlobals(), ctx.env, ctx.cwd),
          database: vault.context.store.location,
          keyProvider: vault.context.keyring.provider.info.kind,
          rootKeyRef: vault.context.keyring.provider.info.keyRef,
          createdKeyFile,
          activeDataKeyId: vault.context.keyring.activeDataKeyId,
        }
        print(outputFor(command, ctx), result, () => `vault ready: ${result.database} (root key ${result.rootKeyRef}${createdKeyFile ? ', new key file' : ''})`)
      } finally {
        await vault.close()
      }
    })
}
