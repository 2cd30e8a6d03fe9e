/** `coffre chain balances`: a user's balances on Polygon and Solana, with the block and slot they were read at. */
import type { Command } from 'commander'
import type { CliContext } from '../context.ts'
import { withVault } from '../context.ts'
import { print } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

export function registerChain(program: Command, ctx: CliContext): void {
  const chain = program.command('chain').description('balances and chain connectivity (needs --polygon-rpc-url and/or --solana-rpc-url)')

  addUserRefOptions(chain.command('balances').description('POL, pUSD, USDC.e, SOL and SPL USDC of a user, in base units'))
    .action(async (options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const balances = await vault.chain.balances(userRefFrom(options))
        print(out, balances, () => {
          const lines = [`user ${balances.userId}`]
          const p = balances.polygon
          if (p !== null) lines.push(`polygon ${p.address} at block ${p.blockNumber}: POL ${p.pol} wei, pUSD ${p.pUsd}, USDC.e ${p.usdcE} (6 decimals)`)
          const s = balances.solana
          if (s !== null) lines.push(`solana ${s.address} at slot ${s.slot}: SOL ${s.sol} lamports, USDC ${s.usdc} (6 decimals)`)
          return lines.join('\n')
        })
      }),
    )

  chain
    .command('check')
    .description('check that every configured RPC URL serves the configured chain')
    .action(async (_options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        print(out, await vault.chain.connect())
      }),
    )
}
