/**
 * `coffre recovery request|approve|cancel|status|complete`: account recovery (vault.recovery,
 * docs/recovery.md). Guardians sign the request's text with EIP-191 personal_sign, off this machine.
 */
import type { Command } from 'commander'
import type { RecoveryRequestView } from '../../vault/accountRecovery/recoveryView.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, writeOut } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

const collect = (value: string, previous: string[] = []) => [...previous, value]
const describe = (r: RecoveryRequestView) =>
  [
    `recovery ${r.requestId} of user ${r.userId}: ${r.state}`,
    `  new telegram id ${r.newTelegramUserId}; ${r.approvedBy.length} of ${r.threshold} guardian approvals; expires ${r.expiresAt}`,
    ...(r.executableAt === null ? [] : [`  the binding may move from ${r.executableAt} (the owner can cancel until then)`]),
    ...(r.state === 'pending' ? ['  guardians sign exactly this text (EIP-191 personal_sign):', r.text] : []),
  ].join('\n')

export function registerRecovery(program: Command, ctx: CliContext): void {
  const recovery = program.command('recovery').description('account recovery: t guardians approve moving a user\'s wallets to a new telegram id, after a waiting period')
  const withRequest = (command: Command) => addUserRefOptions(command).requiredOption('--request <uuid>', 'the recovery request id')

  addUserRefOptions(recovery.command('request').description('open a request; prints the text the guardians sign'))
    .requiredOption('--new-telegram-id <n>', 'the telegram id the wallets move to')
    .option('--expires-in <seconds>', 'time the guardians have to sign (60 to 2592000; default 7 days)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const input = { newTelegramUserId: options.newTelegramId as string, ...(options.expiresIn === undefined ? {} : { ttlSeconds: parseIntegerOption(options.expiresIn, '--expires-in', 60, 2_592_000) }) }
        const request = await vault.recovery.request(userRefFrom(options), input, { actor: CLI_ACTOR })
        await writeOut(out, request, () => describe(request))
      }),
    )

  withRequest(recovery.command('approve').description('add guardians\' signatures over the request text'))
    .requiredOption('--signature <0x…>', 'a guardian\'s EIP-191 signature; repeatable', collect)
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const request = await vault.recovery.approve(userRefFrom(options), options.request, { signatures: options.signature }, { actor: CLI_ACTOR })
        await writeOut(out, request, () => describe(request))
      }),
    )

  for (const [name, description] of [
    ['cancel', 'cancel the request (the current owner)'],
    ['complete', 'after the waiting period, move the telegram binding'],
  ] as const) {
    withRequest(recovery.command(name).description(description)).action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const request = await vault.recovery[name](userRefFrom(options), options.request, { actor: CLI_ACTOR })
        await writeOut(out, request, () => describe(request))
      }),
    )
  }

  withRequest(recovery.command('status').description('the request\'s state and approvals')).action((options, command: Command) =>
    withVault(command, ctx, async (vault, out) => {
      const request = await vault.recovery.status(userRefFrom(options), options.request)
      await writeOut(out, request, () => describe(request))
    }),
  )
}
