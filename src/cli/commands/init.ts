/** `coffre init` (initVault): creates the data directory, the root key file (0600) and the keyring. Idempotent. */
import type { Command } from 'commander'
import { parseVaultConfig, resolveDataDir } from '../../config.ts'
import { initVault } from '../../vault/initVault.ts'
import { outputFor, type CliContext } from '../context.ts'
import { print } from '../io.ts'

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('create the vault: data directory, root key file (mode 0600) and first data key')
    .action(async (_options, command: Command) => {
      const config = parseVaultConfig(command.optsWithGlobals(), ctx.env, ctx.cwd)
      const info = await initVault(config)
      const result = {
        dataDir: resolveDataDir(command.optsWithGlobals(), ctx.env, ctx.cwd),
        database: info.database,
        keyProvider: info.keyProvider,
        rootKeyRef: info.rootKeyRef,
        createdKeyFile: info.createdKeyFile,
        activeDataKeyId: info.activeDataKeyId,
      }
      print(outputFor(command, ctx), result, () => `vault ready: ${result.database} (root key ${result.rootKeyRef}${info.createdKeyFile ? ', new key file' : ''})`)
    })
}
