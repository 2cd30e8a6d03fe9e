/**
 * `coffre pairs create|list|show|keys|add-key|remove-key|delete|contains` (seed 004). Pairs hold public
 * keys only; every change is audited. Output: the pair (uuid, label, userId, publicKey, publicKeys,
 * derivedCount, createdAt, updatedAt).
 */
import type { Command } from 'commander'
import { CoffreError, invalidInput } from '../../errors.ts'
import { MAX_DERIVED_KEYS } from '../../derive/integerGuards.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { parsePairUuid } from '../../vault/pairs/pairInput.ts'
import type { StoredPair } from '../../vault/pairs/storedPair.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

/** `--public-key` may repeat and each may be a comma list. */
const collectKeys = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((key) => key.trim()).filter((key) => key !== '')]

/** Every key validated before the vault is opened, so a bad one writes nothing. */
function requireKeys(keys: string[] | undefined): string[] {
  if (keys === undefined || keys.length === 0) throw invalidInput('give at least one --public-key')
  for (const key of keys) parsePublicKeyHex(key, '--public-key')
  return keys
}

const describePair = (p: StoredPair) =>
  [`pair ${p.uuid}${p.label === null ? '' : ` (${p.label})`}${p.userId === null ? '' : ` local to user ${p.userId}, ${p.derivedCount} derived`}`, ...(p.publicKey === undefined ? [] : [`  main  ${p.publicKey}`]), ...p.publicKeys.map((k) => `  extra ${k}`)].join('\n')

export function registerPairs(program: Command, ctx: CliContext): void {
  const pairs = program.command('pairs').description('pairs (local identity or remote devices) and their public keys')

  addUserRefOptions(pairs.command('create').description('create a remote pair from public keys, or the local pair of a user (--telegram-id, --id or --address)'))
    .option('--uuid <uuid>', 'pair uuid (generated when absent)')
    .option('--label <text>', 'a name for the pair')
    .option('--public-key <hex>', 'remote pair: the first key is the main key, the others extra keys (repeatable or comma list)', collectKeys)
    .option('--derived-count <n>', 'local pair: it owns main + derived(0 … n - 1)')
    .action((options, command: Command) => {
      const local = [options.telegramId, options.id, options.address].some((v) => v !== undefined)
      const keys: string[] = options.publicKey ?? []
      for (const key of keys) parsePublicKeyHex(key, '--public-key')
      if (local && keys.length > 0) throw invalidInput("a local pair's keys come from the user's identity; do not give --public-key")
      const uuid = options.uuid === undefined ? undefined : parsePairUuid(options.uuid, '--uuid')
      const derivedCount = options.derivedCount === undefined ? undefined : parseIntegerOption(options.derivedCount, '--derived-count', 0, MAX_DERIVED_KEYS)
      const input = {
        ...(uuid === undefined ? {} : { uuid }),
        ...(options.label === undefined ? {} : { label: options.label }),
        ...(local ? { user: userRefFrom(options) } : {}),
        ...(keys[0] === undefined ? {} : { publicKey: keys[0] }),
        ...(keys.length > 1 ? { publicKeys: keys.slice(1) } : {}),
        ...(derivedCount === undefined ? {} : { derivedCount }),
      }
      return withVault(command, ctx, async (vault, out) => {
        const pair = await vault.pairs.create(input, { actor: CLI_ACTOR })
        print(out, pair, () => `created ${describePair(pair)}`)
      })
    })

  pairs
    .command('list')
    .description('list pairs in uuid order')
    .option('--limit <n>', 'page size (1-500)', '100')
    .option('--cursor <uuid>', 'continue after a previous page')
    .action((options, command: Command) => {
      const limit = parseIntegerOption(options.limit, '--limit', 1, 500)
      return withVault(command, ctx, async (vault, out) => {
        const page = await vault.pairs.list({ limit, ...(options.cursor === undefined ? {} : { cursor: options.cursor }) })
        print(out, page, () => [...page.pairs.map(describePair), page.nextCursor ? `next: --cursor ${page.nextCursor}` : ''].filter(Boolean).join('\n'))
      })
    })

  pairs
    .command('show')
    .description('show one pair')
    .requiredOption('--uuid <uuid>', 'pair uuid')
    .action((options, command: Command) => {
      const uuid = parsePairUuid(options.uuid, '--uuid')
      return withVault(command, ctx, async (vault, out) => {
        const pair = await vault.pairs.get(uuid)
        if (pair === null) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid')
        print(out, pair, () => describePair(pair))
      })
    })

  pairs
    .command('keys')
    .description("every public key of the pair (local pair: main + derived(0 … derived-count - 1), from the vault's index)")
    .requiredOption('--uuid <uuid>', 'pair uuid')
    .option('--derived-count <n>', "local pair: derived keys to list (default: the pair's derivedCount)")
    .action((options, command: Command) => {
      const uuid = parsePairUuid(options.uuid, '--uuid')
      const derivedCount = options.derivedCount === undefined ? undefined : parseIntegerOption(options.derivedCount, '--derived-count', 0, MAX_DERIVED_KEYS)
      return withVault(command, ctx, async (vault, out) => {
        const publicKeys = await vault.pairs.publicKeys(uuid, derivedCount, { actor: CLI_ACTOR })
        print(out, { uuid, publicKeys }, () => publicKeys.join('\n'))
      })
    })

  for (const [name, description] of [
    ['add-key', "add public keys to the pair's publicKeys (a key already owned is skipped)"],
    ['remove-key', "remove public keys from the pair's publicKeys (not its main key)"],
  ] as const) {
    pairs
      .command(name)
      .description(description)
      .requiredOption('--uuid <uuid>', 'pair uuid')
      .option('--public-key <hex>', 'compressed public key (repeatable or comma list)', collectKeys)
      .action((options, command: Command) => {
        const uuid = parsePairUuid(options.uuid, '--uuid')
        const keys = requireKeys(options.publicKey)
        return withVault(command, ctx, async (vault, out) => {
          const edit = name === 'add-key' ? vault.pairs.addKeys : vault.pairs.removeKeys
          const pair = await edit(uuid, keys, { actor: CLI_ACTOR })
          print(out, pair, () => describePair(pair))
        })
      })
  }

  pairs
    .command('delete')
    .description('delete a pair and its keys')
    .requiredOption('--uuid <uuid>', 'pair uuid')
    .action((options, command: Command) => {
      const uuid = parsePairUuid(options.uuid, '--uuid')
      return withVault(command, ctx, async (vault, out) => {
        const pair = await vault.pairs.delete(uuid, { actor: CLI_ACTOR })
        print(out, { ...pair, deleted: true }, () => `deleted ${describePair(pair)}`)
      })
    })

  pairs
    .command('contains')
    .description('whether the pair owns a public key (local pair: main or derived(0 … max-derived - 1))')
    .requiredOption('--uuid <uuid>', 'pair uuid')
    .requiredOption('--public-key <hex>', 'compressed public key, 66 hex')
    .option('--max-derived <n>', "local pair: derived keys to consider (default: the pair's derivedCount)")
    .action((options, command: Command) => {
      const uuid = parsePairUuid(options.uuid, '--uuid')
      parsePublicKeyHex(options.publicKey, '--public-key')
      const maxDerived = options.maxDerived === undefined ? undefined : parseIntegerOption(options.maxDerived, '--max-derived', 0, MAX_DERIVED_KEYS)
      return withVault(command, ctx, async (vault, out) => {
        const contains = await vault.pairs.contains(uuid, options.publicKey, maxDerived, { actor: CLI_ACTOR })
        print(out, { contains }, () => (contains ? 'yes' : 'no'))
      })
    })
}
