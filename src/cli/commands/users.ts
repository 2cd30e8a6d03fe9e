/** `coffre users create|show|list|import|export`. */
import type { Command } from 'commander'
import { CoffreError } from '../../errors.ts'
import type { User } from '../../vault/users/user.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readSecretText } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'
import { registerUserBackup } from './userBackup.ts'

const describeUser = (u: User) => `user ${u.id} (telegram ${u.telegramUserId}${u.username ? `, @${u.username}` : ''})\n  polygon ${u.polygonAddress}\n  solana  ${u.solanaAddress}`

export function registerUsers(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('create, find, import and export users')

  users
    .command('create')
    .description('create a user with a new BIP-39 wallet (idempotent per telegram id)')
    .requiredOption('--telegram-id <n>', 'telegram user id')
    .option('--username <name>', 'telegram username')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const { user, created } = await vault.users.ensure({ telegramUserId: options.telegramId, username: options.username ?? null }, { actor: CLI_ACTOR })
        print(out, { ...user, created }, () => `${created ? 'created' : 'exists'}: ${describeUser(user)}`)
      }),
    )

  addUserRefOptions(users.command('show').description('show one user'))
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const user = await vault.users.get(userRefFrom(options))
        if (user === null) throw new CoffreError('COFFRE_NOT_FOUND', 'no such user')
        print(out, user, () => describeUser(user))
      }),
    )

  users
    .command('list')
    .description('list users by id (UUIDv7: creation time to the millisecond; users made in the same millisecond in random order)')
    .option('--limit <n>', 'page size (1-500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const page = await vault.users.list({ limit: parseIntegerOption(options.limit, '--limit', 1, 500), ...(options.cursor ? { cursor: options.cursor } : {}) })
        print(out, page, () => [...page.users.map(describeUser), page.nextCursor ? `next: --cursor ${page.nextCursor}` : ''].filter(Boolean).join('\n'))
      }),
    )

  users
    .command('import')
    .description('import an existing wallet: a mnemonic, or a Polygon key and a Solana key (read from files or - for stdin)')
    .requiredOption('--telegram-id <n>', 'telegram user id')
    .option('--username <name>', 'telegram username')
    .option('--mnemonic-file <file>', 'BIP-39 mnemonic')
    .option('--polygon-key-file <file>', 'Polygon private key, hex with or without 0x')
    .option('--solana-key-file <file>', 'Solana secret key: base58 of 64 bytes, or the Solana CLI JSON array')
    .option('--polygon-address <address>', 'expected Polygon address')
    .option('--solana-address <address>', 'expected Solana address')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const read = (path: string | undefined, what: string) => (path === undefined ? undefined : readSecretText(path, what))
        const { user, created } = await vault.users.import(
          {
            telegramUserId: options.telegramId,
            username: options.username ?? null,
            ...optional('mnemonic', read(options.mnemonicFile, 'mnemonic')),
            ...optional('polygonPrivateKey', read(options.polygonKeyFile, 'Polygon key')),
            ...optional('solanaSecretKey', read(options.solanaKeyFile, 'Solana key')),
            ...optional('polygonAddress', options.polygonAddress),
            ...optional('solanaAddress', options.solanaAddress),
          },
          { actor: CLI_ACTOR },
        )
        print(out, { ...user, created }, () => `${created ? 'imported' : 'already present'}: ${describeUser(user)}`)
      }),
    )

  addUserRefOptions(users.command('export').description('print the user\'s mnemonic and private keys (audited)'))
    .option('--yes', 'confirm that secrets will be printed')
    .option('--reason <text>', 'why, recorded in the audit trail')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if (options.yes !== true) throw new CoffreError('COFFRE_INVALID_INPUT', 'export prints secret keys; confirm with --yes')
        const exported = await vault.users.export(userRefFrom(options), { actor: CLI_ACTOR, ...(options.reason ? { reason: options.reason } : {}) })
        print(out, exported, () =>
          [`mnemonic: ${exported.mnemonic ?? '(none: imported from keys)'}`, `polygon ${exported.polygonAddress}: ${exported.polygonPrivateKey}`, `solana  ${exported.solanaAddress}: ${exported.solanaSecretKey}`].join('\n'),
        )
      }),
    )

  registerUserBackup(users, ctx)
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
