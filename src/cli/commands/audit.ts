/** `coffre audit verify`: walks the hash chain; non-zero exit when broken. */
import type { Command } from 'commander'
import { withVault, type CliContext } from '../context.ts'
import { print } from '../io.ts'

export function registerAudit(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the hash-chained audit trail')
  audit
    .command('verify')
    .description('verify the audit chain and report the first broken entry')
    .action((_options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const result = await vault.audit.verify()
        print(out, result, () => (result.ok ? `audit chain ok: ${result.entries} entries` : `audit chain BROKEN at entry ${result.firstBrokenEntry}: ${result.reason}`))
        if (!result.ok) process.exitCode = 1
      }),
    )
}
