/** `--telegram-id N | --id UUID | --address A` → a user reference. */
import type { Command } from 'commander'
import { invalidInput } from '../errors.ts'
import type { UserRef } from '../vault/users/findUser.ts'

export function addUserRefOptions(command: Command): Command {
  return command
    .option('--telegram-id <n>', 'the user\'s telegram id')
    .option('--id <uuid>', 'the user\'s Coffre id')
    .option('--address <address>', 'one of the user\'s wallet addresses')
}

export function userRefFrom(options: { telegramId?: string; id?: string; address?: string }): UserRef {
  const given = [options.telegramId, options.id, options.address].filter((v) => v !== undefined)
  if (given.length !== 1) throw invalidInput('give exactly one of --telegram-id, --id or --address')
  if (options.telegramId !== undefined) return { telegramUserId: options.telegramId }
  if (options.id !== undefined) return { id: options.id }
  return { address: options.address as string }
}
