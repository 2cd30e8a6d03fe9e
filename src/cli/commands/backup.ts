/**
 * `coffre backup split|restore` (vault.backup.split, restoreRootKey): Shamir shares of the local
 * root key, and the restore drill that rebuilds it, proves it opens this vault and writes it as a
 * new 0600 key file. With a pkcs11 or aws-kms root key, `split` makes a recovery key instead (two
 * phases: the new key is pending until its shares are printed, so a kill never strands the
 * operator without working shares); `restore` of such shares writes the recovery key file, which
 * opens the vault (`--key-file`) until `keys rotate-root` makes a new primary root key.
 */
import type { Command } from 'commander'
import { parseVaultConfig } from '../../config.ts'
import { restoreRootKey } from '../../vault/backup/restoreRootKey.ts'
import { CLI_ACTOR, outputFor, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readInput, writeOut } from '../io.ts'

export function registerBackup(program: Command, ctx: CliContext): void {
  const backup = program.command('backup').description('Shamir backups of the root key')

  backup
    .command('split')
    .description('print N shares of the local root key (or, with pkcs11/aws-kms, of a new recovery key), any T of which rebuild it')
    .requiredOption('--shares <n>', 'number of shares (2-255)')
    .requiredOption('--threshold <t>', 'shares needed to rebuild (2-N)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const shares = parseIntegerOption(options.shares, '--shares', 2, 255)
        const threshold = parseIntegerOption(options.threshold, '--threshold', 2, shares)
        const split = await vault.backup.split({ shares, threshold }, { actor: CLI_ACTOR })
        const recovery = split.recoveryKeyRef
        const what = recovery === undefined ? `root key ${split.rootKeyRef}` : `recovery key ${recovery} (root key ${split.rootKeyRef} is held by ${vault.info().keyProvider}); earlier recovery shares stop working once these are printed`
        // The shares must have reached the operator (stdout flushed) before a new recovery key replaces the previous one.
        await writeOut(out, { shares: split.shares, threshold, rootKeyRef: split.rootKeyRef, ...(recovery === undefined ? {} : { recoveryKeyRef: recovery }) }, () =>
          [`# ${shares} shares of ${what}; any ${threshold} rebuild it. Give each to a different custodian.`, ...split.shares].join('\n'),
        )
        await split.confirm()
      }),
    )

  backup
    .command('restore')
    .description('rebuild the root key from shares (files, or stdin), check it opens this vault, write it as a new 0600 key file')
    .option('--share-file <file>', 'a file holding one or more shares (repeatable; default: read stdin)', (value: string, previous: string[] = []) => [...previous, value])
    .requiredOption('--out <file>', 'the key file to write (never overwritten)')
    .action(async (options, command: Command) => {
      const out = outputFor(command, ctx)
      const config = parseVaultConfig({ ...command.optsWithGlobals(), keyProvider: 'local' }, { ...ctx.env, COFFRE_MASTER_KEY: undefined }, ctx.cwd)
      const files: string[] = options.shareFile ?? ['-']
      const shareTexts = files.map((file) => {
        const bytes = readInput(file, 'shares')
        try {
          return Buffer.from(bytes).toString('utf8')
        } finally {
          bytes.fill(0)
        }
      })
      const restored = await restoreRootKey(config, { shareTexts, out: options.out }, { actor: CLI_ACTOR })
      if (restored.recoveryKey) {
        const next = `coffre --key-file ${options.out} keys rotate-root --to <pkcs11|aws-kms|local> ...`
        print(out, { keyFile: options.out, recoveryKeyRef: restored.keyRef, sharesUsed: restored.sharesUsed, next }, () =>
          `recovery key ${restored.keyRef} restored to ${options.out} (mode 0600); it opens this vault with --key-file. Make a new primary root key next: ${next}`,
        )
        return
      }
      print(out, { keyFile: options.out, rootKeyRef: restored.keyRef, sharesUsed: restored.sharesUsed }, () => `root key ${restored.keyRef} restored to ${options.out} (mode 0600); it opens this vault`)
    })
}
