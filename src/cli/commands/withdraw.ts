/**
 * `coffre withdraw --telegram-id N --chain polygon|solana --asset … --amount … --to …`: sends a
 * user's funds out through the vault (authorised, signed, stored before broadcast, sent once).
 * `--request-id` makes a retry of the same command return the same withdrawal; `coffre
 * withdrawal get ID` shows where it stands (`coffre serve` tracks it to confirmation).
 */
import type { Command } from 'commander'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { print } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

export function registerWithdraw(program: Command, ctx: CliContext): void {
  addUserRefOptions(program.command('withdraw').description('send a user\'s POL, pUSD, USDC.e (polygon) or SOL, USDC (solana) to an address'))
    .requiredOption('--chain <chain>', 'polygon or solana')
    .requiredOption('--asset <asset>', 'POL, pUSD, USDC.e, SOL or USDC')
    .requiredOption('--amount <units>', 'amount in base units (wei, lamports, 6-decimal token units)')
    .requiredOption('--to <address>', 'destination address')
    .option('--request-id <id>', 'idempotency: the same id returns the same withdrawal instead of sending again')
    .action(async (options: { telegramId?: string; id?: string; address?: string; chain: string; asset: string; amount: string; to: string; requestId?: string }, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const withdrawal = await vault.chain.withdrawals.create(
          userRefFrom(options),
          { chain: options.chain as 'polygon' | 'solana', asset: options.asset, amount: options.amount, to: options.to },
          { actor: CLI_ACTOR, ...(options.requestId === undefined ? {} : { requestId: `cli:${options.requestId}` }) },
        )
        print(out, withdrawal, () => `withdrawal ${withdrawal.id}: ${withdrawal.state}${withdrawal.txRef === null ? '' : ` (${withdrawal.txRef})`}`)
      }),
    )

  program
    .command('withdrawal')
    .description('withdrawals')
    .command('get <id>')
    .description('a withdrawal and where it stands')
    .action(async (id: string, _options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const withdrawal = await vault.chain.withdrawals.get(id)
        print(out, withdrawal, () => `withdrawal ${withdrawal.id}: ${withdrawal.state}${withdrawal.txRef === null ? '' : ` (${withdrawal.txRef})`}${withdrawal.error === null ? '' : ` — ${withdrawal.error}`}`)
      }),
    )
}
