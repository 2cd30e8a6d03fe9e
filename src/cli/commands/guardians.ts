/** `coffre guardians add|list|remove`: a user's guardians (vault.guardians, docs/recovery.md). */
import type { Command } from 'commander'
import { CoffreError } from '../../errors.ts'
import type { UserGuardians } from '../../vault/guardians/guardianService.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, writeOut } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

const collect = (value: string, previous: string[] = []) => [...previous, value]
const describe = (g: UserGuardians) =>
  [`guardians ${g.setId} of user ${g.userId}: ${g.threshold} of ${g.guardians.length} approve a recovery`, ...g.guardians.map((key, i) => `  ${i + 1}. ${key}`), `  sealed shares (backup ${g.backupId}): --json to export them`].join('\n')

export function registerGuardians(program: Command, ctx: CliContext): void {
  const guardians = program.command('guardians').description('a user\'s guardians: secp256k1 keys (a seed-004 pair), t < n, each holding a sealed share of the wallet')

  addUserRefOptions(guardians.command('add').description('register (or rotate) the user\'s guardians; prints each guardian\'s sealed share'))
    .option('--public-key <hex>', 'a guardian\'s compressed secp256k1 public key; repeat for each guardian', collect)
    .option('--pair <uuid>', 'an existing remote pair whose keys are the guardians')
    .option('--threshold <t>', 'approvals needed, 1 ≤ t < n (default ceil(n/2))')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if ((options.publicKey === undefined) === (options.pair === undefined)) throw new CoffreError('COFFRE_INVALID_INPUT', 'give --public-key (repeated) or --pair')
        const added = await vault.guardians.add(
          userRefFrom(options),
          {
            ...(options.publicKey === undefined ? {} : { publicKeys: options.publicKey as string[] }),
            ...(options.pair === undefined ? {} : { pairUuid: options.pair as string }),
            ...(options.threshold === undefined ? {} : { threshold: parseIntegerOption(options.threshold, '--threshold', 1, 15) }),
          },
          { actor: CLI_ACTOR },
        )
        await writeOut(out, added, () => describe(added))
      }),
    )

  addUserRefOptions(guardians.command('list').description('the user\'s active guardians and their sealed shares (--json)'))
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const found = await vault.guardians.get(userRefFrom(options))
        if (found === null) throw new CoffreError('COFFRE_NOT_FOUND', 'the user has no guardians')
        await writeOut(out, found, () => describe(found))
      }),
    )

  addUserRefOptions(guardians.command('remove').description('remove the user\'s guardians (open recovery requests are cancelled)'))
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const removed = await vault.guardians.remove(userRefFrom(options), { actor: CLI_ACTOR })
        await writeOut(out, removed, () => `removed guardians ${removed.setId}; ${removed.cancelledRequests} open recovery request(s) cancelled`)
      }),
    )
}
