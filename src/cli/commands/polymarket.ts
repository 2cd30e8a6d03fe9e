/**
 * `coffre polymarket …`. Pure commands (l1-headers, l2-headers, order sign, wallets) work on a
 * key or credentials read from a file or stdin and never open a vault. Vault commands
 * (credentials, order post, orders list) take the CLOB from --clob-url / --chain-id and share
 * rate limits through --redis-url when given. The pure commands call src/polymarket directly (no
 * vault: they only use the key file they are given). Over 200 lines: one command group.
 */
import type { Command } from 'commander'
import { Redis } from 'ioredis'
import { parseVaultConfig } from '../../config.ts'
import { CoffreError, invalidInput } from '../../errors.ts'
import { l1HeadersCommand } from '../../polymarket/commands/l1Headers.ts'
import { l2HeadersCommand } from '../../polymarket/commands/l2Headers.ts'
import { orderSignCommand } from '../../polymarket/commands/orderSign.ts'
import { walletsCommand } from '../../polymarket/commands/wallets.ts'
import type { ApiCredentials } from '../../polymarket/l2Headers.ts'
import { privateKeySigner, type PrivateKeySigner } from '../../polymarket/evmSigner.ts'
import type { TickSize } from '../../polymarket/orderAmounts.ts'
import type { OutboxStatus } from '../../vault/polymarket/orderService.ts'
import { DEFAULT_CHAIN_ID, DEFAULT_CLOB_URL } from '../../vault/polymarket/options.ts'
import { openVault, type Vault } from '../../vault/openVault.ts'
import { parseEvmPrivateKey } from '../../wallet/evmKeyText.ts'
import { CLI_ACTOR, outputFor, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readInput, readJsonFile, readSecretText, type Output } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

async function withKeyFile<T>(path: string, fn: (signer: PrivateKeySigner) => Promise<T>): Promise<T> {
  const key = parseEvmPrivateKey(readSecretText(path, 'private key'))
  const signer = privateKeySigner(key)
  key.fill(0)
  try {
    return await fn(signer)
  } finally {
    signer.destroy()
  }
}

function readCredentials(path: string): ApiCredentials {
  const raw = readJsonFile(path, 'credentials') as Record<string, unknown> | null
  if (raw === null || typeof raw !== 'object' || typeof raw.key !== 'string' || typeof raw.secret !== 'string' || typeof raw.passphrase !== 'string') {
    throw invalidInput('the credentials file must hold { "key", "secret", "passphrase" }')
  }
  return { key: raw.key, secret: raw.secret, passphrase: raw.passphrase }
}

const withClobOptions = (command: Command): Command =>
  command
    .option('--clob-url <url>', `Polymarket CLOB base URL (default ${DEFAULT_CLOB_URL})`)
    .option('--chain-id <id>', `137 (Polygon) or 80002 (Amoy) (default ${DEFAULT_CHAIN_ID})`)
    .option('--redis-url <url>', 'share CLOB rate limits through Redis (in memory otherwise)')

async function withPolymarketVault<T>(command: Command, ctx: CliContext, fn: (vault: Vault, out: Output) => Promise<T>): Promise<T> {
  const options = command.opts()
  const config = parseVaultConfig(command.optsWithGlobals(), ctx.env, ctx.cwd)
  const chainId = options.chainId === undefined ? DEFAULT_CHAIN_ID : parseIntegerOption(options.chainId, '--chain-id')
  const redisUrl: string | undefined = options.redisUrl
  const redis = redisUrl === undefined || redisUrl === '' ? undefined : new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true })
  if (redis !== undefined) {
    redis.on('error', () => undefined)
    await redis.connect().catch((cause) => {
      throw new CoffreError('COFFRE_INVALID_CONFIG', 'cannot reach --redis-url', { cause })
    })
  }
  try {
    const vault = await openVault(config, { polymarket: { ...(options.clobUrl === undefined ? {} : { baseUrl: options.clobUrl }), chainId, ...(redis === undefined ? {} : { redis }) } })
    try {
      return await fn(vault, outputFor(command, ctx))
    } finally {
      await vault.close()
    }
  } finally {
    redis?.disconnect()
  }
}

const SIDES = ['BUY', 'SELL']
const TICKS = ['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001']

function decimalOption(value: string, name: string): number {
  if (typeof value !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(value)) throw invalidInput(`${name} must be a positive decimal`)
  return Number(value)
}

export function registerPolymarket(program: Command, ctx: CliContext): void {
  const polymarket = program.command('polymarket').description('Polymarket CLOB: auth headers, order signing, API keys and orders')

  polymarket
    .command('l1-headers')
    .description('L1 (EIP-712 ClobAuth) headers for a key read from a file')
    .requiredOption('--private-key-file <file>', 'EVM private key, hex (- for stdin)')
    .requiredOption('--chain-id <id>', '137 or 80002')
    .option('--timestamp <seconds>', 'unix seconds (default now)')
    .option('--nonce <n>', 'L1 nonce (default 0)')
    .action((options, command: Command) =>
      withKeyFile(options.privateKeyFile, async (signer) => {
        print(outputFor(command, ctx), await l1HeadersCommand(signer, { chainId: options.chainId, ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }), ...(options.nonce === undefined ? {} : { nonce: options.nonce }) }))
      }),
    )

  polymarket
    .command('l2-headers')
    .description('L2 (HMAC) headers for one request, credentials read from a file')
    .requiredOption('--credentials-file <file>', 'JSON { "key", "secret", "passphrase" } (- for stdin)')
    .requiredOption('--address <address>', 'the address the key was issued to')
    .requiredOption('--method <method>', 'HTTP method')
    .requiredOption('--path <path>', 'request path (a query string is dropped)')
    .option('--body-file <file>', 'the exact request body')
    .option('--timestamp <seconds>', 'unix seconds (default now)')
    .action((options, command: Command) => {
      const credentials = readCredentials(options.credentialsFile)
      const body = options.bodyFile === undefined ? undefined : Buffer.from(readInput(options.bodyFile, 'body')).toString('utf8')
      const headers = l2HeadersCommand(credentials, {
        address: options.address, method: options.method, path: options.path, ...(body === undefined ? {} : { body }), ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      })
      print(outputFor(command, ctx), headers)
    })

  polymarket
    .command('wallets')
    .description("an address's Polymarket proxy wallet and Safe")
    .requiredOption('--address <address>', 'the owning EOA')
    .option('--chain-id <id>', '137 or 80002 (default 137)')
    .action((options, command: Command) => {
      print(outputFor(command, ctx), walletsCommand({ address: options.address, ...(options.chainId === undefined ? {} : { chainId: options.chainId }) }))
    })

  const order = polymarket.command('order').description('sign or post a V2 order')
  order
    .command('sign')
    .description('sign a V2 order struct (JSON, integers as decimal strings) with a key read from a file')
    .requiredOption('--private-key-file <file>', 'EVM private key, hex (- for stdin)')
    .requiredOption('--chain-id <id>', '137 or 80002')
    .requiredOption('--exchange <address>', 'the CTF Exchange V2 or neg-risk CTF Exchange V2')
    .requiredOption('--order-file <file>', 'the order struct as JSON (- for stdin)')
    .action((options, command: Command) => {
      const raw = readJsonFile(options.orderFile, 'order')
      return withKeyFile(options.privateKeyFile, async (signer) => {
        print(outputFor(command, ctx), await orderSignCommand(signer, { order: raw, chainId: options.chainId, exchange: options.exchange }))
      })
    })

  withClobOptions(addUserRefOptions(order.command('post').description("build, sign (vault key), store in the outbox and send a limit order for a user")))
    .requiredOption('--token-id <id>', 'outcome token id (decimal)')
    .requiredOption('--side <side>', 'BUY or SELL')
    .requiredOption('--price <p>', 'limit price')
    .requiredOption('--size <shares>', 'size in shares')
    .requiredOption('--tick-size <t>', `market tick size: ${TICKS.join(', ')}`)
    .option('--neg-risk', 'the market is neg-risk (neg-risk exchange)')
    .option('--order-type <type>', 'GTC, GTD, FOK or FAK', 'GTC')
    .option('--expiration <seconds>', 'unix seconds (GTD only)')
    .option('--signature-type <n>', '0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE', '0')
    .option('--post-only', 'post-only (GTC/GTD)')
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const side = String(options.side).toUpperCase()
        if (!SIDES.includes(side)) throw invalidInput('--side must be BUY or SELL')
        if (!TICKS.includes(options.tickSize)) throw invalidInput(`--tick-size must be one of ${TICKS.join(', ')}`)
        const signatureType = parseIntegerOption(options.signatureType, '--signature-type', 0, 2) as 0 | 1 | 2
        const placed = await vault.polymarket.orders.place(userRefFrom(options), {
          tokenId: options.tokenId, side: side as 'BUY' | 'SELL', price: decimalOption(options.price, '--price'), size: decimalOption(options.size, '--size'),
          tickSize: options.tickSize as TickSize, negRisk: options.negRisk === true, orderType: String(options.orderType).toUpperCase() as 'GTC', signatureType,
          ...(options.expiration === undefined ? {} : { expiration: parseIntegerOption(options.expiration, '--expiration') }),
          ...(options.postOnly === true ? { postOnly: true } : {}),
        }, { actor: CLI_ACTOR })
        print(out, placed, () => `${placed.orderHash} ${placed.status}${placed.lastError === null ? '' : ` (${placed.lastError})`}`)
      }),
    )

  withClobOptions(polymarket.command('orders').description('orders in the outbox').command('list').description('orders, oldest first'))
    .option('--telegram-id <n>', 'only this user\'s orders')
    .option('--status <status>', 'pending, sent or failed')
    .option('--limit <n>', 'at most this many (default 1000)')
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const list = await vault.polymarket.orders.list({
          ...(options.telegramId === undefined ? {} : { userRef: { telegramUserId: options.telegramId } }),
          ...(options.status === undefined ? {} : { status: options.status as OutboxStatus }),
          ...(options.limit === undefined ? {} : { limit: parseIntegerOption(options.limit, '--limit', 1, 10_000) }),
        })
        print(out, list, () => list.map((o) => `${o.orderHash} ${o.status} ${o.side} ${o.tokenId}${o.lastError === null ? '' : ` ${o.lastError}`}`).join('\n'))
      }),
    )

  const credentials = polymarket.command('credentials').description("a user's CLOB API keys (secrets stay in the vault)")
  withClobOptions(addUserRefOptions(credentials.command('create').description('create, or derive the existing, API key')))
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const info = await vault.polymarket.credentials.createOrDerive(userRefFrom(options), { actor: CLI_ACTOR })
        print(out, info, () => `${info.apiKey} ${info.state}`)
      }),
    )
  withClobOptions(addUserRefOptions(credentials.command('list').description('stored keys and the keys the CLOB reports')))
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const listing = await vault.polymarket.credentials.list(userRefFrom(options), { actor: CLI_ACTOR })
        print(out, listing, () => listing.stored.map((s) => `${s.apiKey} ${s.kind} ${s.state} nonce=${s.nonce}`).join('\n'))
      }),
    )
  withClobOptions(addUserRefOptions(credentials.command('rotate').description('new key (next nonce), verified, then the old one deleted')))
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const result = await vault.polymarket.credentials.rotate(userRefFrom(options), { actor: CLI_ACTOR })
        print(out, result, () => `${result.current.apiKey} active; revoked ${result.revoked.join(', ') || 'none'}`)
      }),
    )
  withClobOptions(addUserRefOptions(credentials.command('revoke').description('delete an API key at the CLOB (default: the current one)')))
    .option('--key <apiKey>', 'the key to revoke')
    .action((options, command: Command) =>
      withPolymarketVault(command, ctx, async (vault, out) => {
        const info = await vault.polymarket.credentials.revoke(userRefFrom(options), options.key, { actor: CLI_ACTOR })
        print(out, info, () => `${info.apiKey} ${info.state}`)
      }),
    )
}
