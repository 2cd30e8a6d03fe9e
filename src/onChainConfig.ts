/**
 * The on-chain part of the configuration, from CLI flags and the environment (flags win):
 * RPC URLs per chain (`--polygon-rpc-url` / COFFRE_POLYGON_RPC_URL, `--solana-rpc-url` /
 * COFFRE_SOLANA_RPC_URL; comma-separated lists, tried in order), the Polygon chain id (checked
 * against every URL when the vault connects), contract overrides (`--polygon-contracts`: inline
 * JSON or a JSON file, e.g. `{"pUsd":"0x…"}`), confirmations, the Solana genesis hash and USDC
 * mint, and the webhook endpoints (`--webhook-url`, several allowed) with their HMAC secret
 * (`--webhook-secret-file` or COFFRE_WEBHOOK_SECRET, at least 16 bytes).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chainConfigFromOptions, type ChainConfig } from './chain/chainConfig.ts'
import type { WebhookEndpoint } from './chain/webhooks/deliverWebhooks.ts'
import { CoffreError } from './errors.ts'

type Text = string | undefined

export type OnChainOptions = Readonly<{
  polygonRpcUrl?: Text
  solanaRpcUrl?: Text
  polygonChainId?: Text
  polygonContracts?: Text
  polygonConfirmations?: Text
  solanaGenesisHash?: Text
  solanaUsdcMint?: Text
  webhookUrl?: string | readonly string[] | undefined
  webhookSecretFile?: Text
}>

export type OnChainEnvironment = Readonly<Record<string, string | undefined>>

export type OnChainSettings = Readonly<{ chain?: ChainConfig; webhooks?: readonly WebhookEndpoint[] }>

const MIN_WEBHOOK_SECRET_BYTES = 16

function integer(value: string, name: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/u.test(value)) throw new CoffreError('COFFRE_INVALID_CONFIG', `${name} must be a non-negative integer`)
  return Number(value)
}

function contractOverrides(value: string, cwd: string): Record<string, unknown> {
  let text = value.trim()
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(resolve(cwd, text), 'utf8')
    } catch (cause) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', `cannot read the contracts file ${value}`, { cause })
    }
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object')
    return parsed as Record<string, unknown>
  } catch (cause) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', 'the Polygon contracts must be a JSON object of contract name to address', { cause })
  }
}

function webhookUrls(value: OnChainOptions['webhookUrl'], env: Text): string[] {
  const list = value === undefined ? (env === undefined ? [] : [env]) : typeof value === 'string' ? [value] : [...value]
  const urls = list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
  for (const url of urls) {
    if (!URL.canParse(url) || !/^https?:$/u.test(new URL(url).protocol)) throw new CoffreError('COFFRE_INVALID_CONFIG', 'a webhook URL must be an http(s) URL')
  }
  return [...new Set(urls)]
}

function webhookSecret(file: Text, env: OnChainEnvironment, cwd: string): Uint8Array | undefined {
  const path = file ?? env.COFFRE_WEBHOOK_SECRET_FILE
  let secret: Uint8Array | undefined
  if (path !== undefined && path !== '') {
    try {
      secret = new TextEncoder().encode(readFileSync(resolve(cwd, path), 'utf8').replace(/\r?\n$/u, ''))
    } catch (cause) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', `cannot read the webhook secret file ${path}`, { cause })
    }
  } else if (env.COFFRE_WEBHOOK_SECRET !== undefined && env.COFFRE_WEBHOOK_SECRET !== '') {
    secret = new TextEncoder().encode(env.COFFRE_WEBHOOK_SECRET)
  }
  if (secret !== undefined && secret.length < MIN_WEBHOOK_SECRET_BYTES) {
    secret.fill(0)
    throw new CoffreError('COFFRE_INVALID_CONFIG', `the webhook secret must be at least ${MIN_WEBHOOK_SECRET_BYTES} bytes`)
  }
  return secret
}

export function chainSettingsFrom(options: OnChainOptions, env: OnChainEnvironment, cwd: string): OnChainSettings {
  const polygon: Record<string, unknown> = {}
  const chainId = options.polygonChainId ?? env.COFFRE_POLYGON_CHAIN_ID
  if (chainId !== undefined && chainId !== '') polygon.chainId = integer(chainId, '--polygon-chain-id')
  const contracts = options.polygonContracts ?? env.COFFRE_POLYGON_CONTRACTS
  if (contracts !== undefined && contracts !== '') polygon.contracts = contractOverrides(contracts, cwd)
  const confirmations = options.polygonConfirmations ?? env.COFFRE_POLYGON_CONFIRMATIONS
  if (confirmations !== undefined && confirmations !== '') polygon.confirmations = integer(confirmations, '--polygon-confirmations')
  const solana: Record<string, unknown> = {}
  const genesisHash = options.solanaGenesisHash ?? env.COFFRE_SOLANA_GENESIS_HASH
  if (genesisHash !== undefined && genesisHash !== '') solana.genesisHash = genesisHash
  const usdcMint = options.solanaUsdcMint ?? env.COFFRE_SOLANA_USDC_MINT
  if (usdcMint !== undefined && usdcMint !== '') solana.usdcMint = usdcMint
  const rpc = { ...(options.polygonRpcUrl === undefined ? {} : { polygonRpcUrl: options.polygonRpcUrl }), ...(options.solanaRpcUrl === undefined ? {} : { solanaRpcUrl: options.solanaRpcUrl }) }
  const chain = chainConfigFromOptions(rpc, env, { polygon, solana })
  const urls = webhookUrls(options.webhookUrl, env.COFFRE_WEBHOOK_URL)
  const secret = webhookSecret(options.webhookSecretFile, env, cwd)
  if (urls.length > 0 && secret === undefined) throw new CoffreError('COFFRE_INVALID_CONFIG', 'webhook URLs need a secret: --webhook-secret-file F or COFFRE_WEBHOOK_SECRET')
  const webhooks = urls.length === 0 ? undefined : Object.freeze(urls.map((url) => Object.freeze({ url, secret: secret as Uint8Array })))
  return Object.freeze({
    ...(chain.polygon === undefined && chain.solana === undefined ? {} : { chain }),
    ...(webhooks === undefined ? {} : { webhooks }),
  })
}
