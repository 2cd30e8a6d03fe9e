/** `coffre import legacy --from postgres://… --legacy-key-file F [--dry-run]`. */
import type { Command } from 'commander'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readInput } from '../io.ts'

export function registerImportLegacy(program: Command, ctx: CliContext): void {
  const importCommand = program.command('import').description('import users from other systems')
  importCommand
    .command('legacy')
    .description("import a legacy database laid out like the seed system's users table (read-only on the source)")
    .requiredOption('--from <url>', 'PostgreSQL URL of the legacy database')
    .requiredOption('--legacy-key-file <file>', "file holding the legacy ENCRYPTION_KEY (base64 of 32 bytes, or the 32-character string form), or - for stdin")
    .option('--dry-run', 'classify every value and report; write nothing')
    .option('--batch-size <n>', 'users per transaction', '200')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const legacyKeyText = readInput(options.legacyKeyFile, 'legacy key')
        try {
          const report = await vault.legacy.import({
            from: options.from,
            legacyKeyText,
            dryRun: options.dryRun === true,
            batchSize: parseIntegerOption(options.batchSize, '--batch-size', 1, 5_000),
            actor: CLI_ACTOR,
            onProgress: (e) => {
              if (process.stderr.isTTY === true) process.stderr.write(`\rimported ${e.scanned}/${e.total} rows scanned`)
            },
          })
          if (process.stderr.isTTY === true) process.stderr.write('\n')
          print(out, report, () =>
            [
              `${report.dryRun ? 'dry run (nothing written): ' : ''}${report.scanned} legacy users scanned from ${report.source}`,
              `  ${report.dryRun ? 'would import' : 'imported'}: ${report.imported}`,
              `  already present: ${report.alreadyPresent}`,
              `  quarantined users: ${report.quarantinedUsers}`,
              `  API credentials ${report.dryRun ? 'to import' : 'imported'}: ${report.apiCredentials.imported}, quarantined: ${report.apiCredentials.quarantined}`,
              ...report.quarantined.map((q) => `  quarantine telegram ${q.telegramUserId} ${q.field}: ${q.reason}`),
            ].join('\n'),
          )
        } finally {
          legacyKeyText.fill(0)
        }
      }),
    )
}
