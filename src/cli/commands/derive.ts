/**
 * `coffre derive child|list|belongs` (seed 004). The parent key is either a private key read from a
 * file (`--private-key-file F`, `-` for stdin): a pure tool, no vault is opened; or a vault user's
 * identity key (`--telegram-id N`, `--id`, `--address`): answered by the vault, audited. The
 * key-file form calls src/derive directly (no vault: it only uses the key it is given).
 */
import type { Command } from 'commander'
import { invalidInput } from '../../errors.ts'
import { deriveChildKeyPair } from '../../derive/deriveChildKeyPair.ts'
import { findPublicKeyInIdentity } from '../../derive/findPublicKeyInIdentity.ts'
import { getDerivedPublicKeys } from '../../derive/getDerivedPublicKeys.ts'
import { MAX_DERIVED_KEYS } from '../../derive/integerGuards.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { DERIVED_KEYS_PER_PAGE } from '../../vault/pairs/identityKeys.ts'
import type { UserRef } from '../../vault/users/findUser.ts'
import { CLI_ACTOR, outputFor, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readSecretText } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

type KeySource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'user'; readonly ref: UserRef }

function withKeySource(command: Command): Command {
  return addUserRefOptions(command.option('--private-key-file <file>', 'parent private key, 64 hex (- for stdin); no vault is opened'))
}

function keySource(options: { privateKeyFile?: string; telegramId?: string; id?: string; address?: string }): KeySource {
  const user = [options.telegramId, options.id, options.address].some((v) => v !== undefined)
  if ((options.privateKeyFile === undefined) === !user) throw invalidInput('give either --private-key-file or a user (--telegram-id, --id or --address)')
  return options.privateKeyFile !== undefined ? { kind: 'file', path: options.privateKeyFile } : { kind: 'user', ref: userRefFrom(options) }
}

const describePosition = (index: 'main' | number | null) => (index === null ? 'does not belong' : index === 'main' ? 'belongs: main key' : `belongs: derived(${index})`)

export function registerDerive(program: Command, ctx: CliContext): void {
  const derive = program.command('derive').description("deterministic child keys of a private key or of a user's identity key (seed 004)")

  withKeySource(derive.command('child').description('the child key pair at --index (with a user: prints a derived PRIVATE key, audited as an export; needs --yes)'))
    .requiredOption('--index <n>', 'derivation index, 0 to 2^53 - 1')
    .option('--yes', "confirm that a user's derived private key will be printed")
    .option('--reason <text>', 'why, recorded in the audit trail')
    .action(async (options, command: Command) => {
      const index = parseIntegerOption(options.index, '--index')
      const source = keySource(options)
      if (source.kind === 'file') {
        const pair = deriveChildKeyPair(readSecretText(source.path, 'private key'), index)
        return print(outputFor(command, ctx), pair, () => `privateKey: ${pair.privateKey}\npublicKey:  ${pair.publicKey}`)
      }
      if (options.yes !== true) throw invalidInput("this prints a derived private key of the user's identity; confirm with --yes")
      await withVault(command, ctx, async (vault, out) => {
        const pair = await vault.derive.exportChild(source.ref, index, { actor: CLI_ACTOR, ...(options.reason === undefined ? {} : { reason: options.reason }) })
        print(out, pair, () => `privateKey: ${pair.privateKey}\npublicKey:  ${pair.publicKey}`)
      })
    })

  withKeySource(derive.command('list').description(`public keys [main, derived(0), …, derived(count - 1)]; of a user, a page of at most ${DERIVED_KEYS_PER_PAGE} derived keys from --offset`))
    .requiredOption('--count <n>', 'number of derived keys')
    .option('--offset <n>', 'first derived index of the page (a user\'s keys; default 0; the reply names the next)', '0')
    .action(async (options, command: Command) => {
      const count = parseIntegerOption(options.count, '--count', 0, MAX_DERIVED_KEYS)
      const offset = parseIntegerOption(options.offset, '--offset', 0, count)
      const source = keySource(options)
      const show = (page: { publicKeys: string[]; nextOffset: number | null }) => [...page.publicKeys, ...(page.nextOffset === null ? [] : [`(more: --offset ${page.nextOffset})`])].join('\n')
      if (source.kind === 'file') {
        const all = getDerivedPublicKeys(readSecretText(source.path, 'private key'), count)
        const page = { publicKeys: offset === 0 ? all : all.slice(offset + 1), nextOffset: null }
        return print(outputFor(command, ctx), page, () => show(page))
      }
      await withVault(command, ctx, async (vault, out) => {
        const page = await vault.derive.publicKeyPage(source.ref, { count, offset }, { actor: CLI_ACTOR })
        print(out, page, () => show(page))
      })
    })

  withKeySource(derive.command('belongs').description('whether a public key is the main key or one of derived(0 … max-derived - 1)'))
    .requiredOption('--public-key <hex>', 'compressed public key, 66 hex')
    .option('--max-derived <n>', 'derived keys to consider', '0')
    .action(async (options, command: Command) => {
      const maxDerived = parseIntegerOption(options.maxDerived, '--max-derived', 0, MAX_DERIVED_KEYS)
      parsePublicKeyHex(options.publicKey, '--public-key')
      const source = keySource(options)
      if (source.kind === 'file') {
        const index = findPublicKeyInIdentity(readSecretText(source.path, 'private key'), options.publicKey, maxDerived)
        return print(outputFor(command, ctx), { belongs: index !== null, index }, () => describePosition(index))
      }
      await withVault(command, ctx, async (vault, out) => {
        const index = await vault.derive.find(source.ref, options.publicKey, maxDerived, { actor: CLI_ACTOR })
        print(out, { belongs: index !== null, index }, () => describePosition(index))
      })
    })
}
