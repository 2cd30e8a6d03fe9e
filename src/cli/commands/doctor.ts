/** `coffre doctor`: every check of the vault; non-zero exit listing the failing rows when not ok. */
import type { Command } from 'commander'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { print } from '../io.ts'

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check database, migrations, root key, every secret against its address, and the audit chain')
    .option('--no-secrets', 'skip decrypting every stored secret')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const report = await vault.doctor({ actor: CLI_ACTOR, secrets: options.secrets !== false })
        print(out, report, () =>
          report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${c.failures ? `\n       ${c.failures.join('\n       ')}` : ''}${c.warnings ? `\n  warn ${c.warnings.join('\n  warn ')}` : ''}`).join('\n'),
        )
        if (!report.ok) process.exitCode = 1
      }),
    )
}
