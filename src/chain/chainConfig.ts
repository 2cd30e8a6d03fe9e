/**
 * On-chain configuration, parsed once at the edge (zod) and frozen: RPC URLs per chain (several,
 * tried in order), the chain identity to check them against, the contract table overrides, fee
 * caps and confirmation depths. `chainConfigFromOptions` maps the CLI's `--polygon-rpc-url` /
 * `--solana-rpc-url` (comma-separated lists) and COFFRE_POLYGON_RPC_URL / COFFRE_SOLANA_RPC_URL
 * onto it; the library takes a `ChainConfig` object and never reads the environment.
 */
import { z } from 'zod'
import { CoffreError } from '../errors.ts'
import { resolveContracts, type ContractName, type PolygonContracts } from './contracts.ts'

/** Mainnet USDC's SPL mint. */
export const SOLANA_USDC_MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
/** Genesis hashes of the public Solana clusters (what `getGenesisHash` returns). */
export const SOLANA_GENESIS_HASHES = Object.freeze({
  'mainnet-beta': '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d',
  devnet: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG',
  testnet: '4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY',
})

const rpcUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/u.test(new URL(value).protocol), 'expected an http(s) URL')

/** A list of URLs, or one comma-separated string of them; at least one, no duplicates. */
const rpcUrls = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((url) => url.trim()).filter((url) => url !== ''))
  .pipe(z.array(rpcUrl).min(1, 'at least one RPC URL').refine((urls) => new Set(urls).size === urls.length, 'duplicate RPC URL'))

const wei = z
  .union([z.bigint(), z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/u, 'expected an integer amount of wei')])
  .transform((value) => BigInt(value))
  .refine((value) => value > 0n, 'must be positive')

const base58Text = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/u, 'expected a base58 address or hash')

const polygonSchema = z
  .object({
    rpcUrls,
    chainId: z.number().int().positive().default(137),
    /** Overrides of the contract table (tests deploy their own; other chains must name them all). */
    contracts: z.record(z.string(), z.string()).default({}),
    /** Blocks on top of a block before its deposits and receipts count (reorg depth tolerated). */
    confirmations: z.number().int().min(0).max(10_000).default(32),
    /** No transaction is signed with a higher maxFeePerGas (wei). */
    maxFeePerGas: wei.default(2_000_000_000_000n),
    /** Tip ceiling (wei); the estimate is clamped to it. */
    maxPriorityFeePerGas: wei.default(500_000_000_000n),
    /** Blocks per eth_getLogs call while scanning deposits. */
    logBlockRange: z.number().int().min(1).max(100_000).default(2_000),
    /** Addresses per eth_getLogs topic filter. */
    logAddressBatch: z.number().int().min(1).max(10_000).default(500),
    requestTimeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict()

const solanaSchema = z
  .object({
    rpcUrls,
    /** When set, every endpoint's getGenesisHash must equal it (the Solana counterpart of a chain id). */
    genesisHash: base58Text.optional(),
    usdcMint: base58Text.default(SOLANA_USDC_MINT),
    /** Commitment for reads and deposits: finalized slots cannot be rolled back. */
    commitment: z.enum(['confirmed', 'finalized']).default('finalized'),
    requestTimeoutMs: z.number().int().min(100).default(10_000),
  })
  .strict()

export const chainConfigSchema = z.object({ polygon: polygonSchema.optional(), solana: solanaSchema.optional() }).strict()

export type PolygonChainConfig = Readonly<Omit<z.output<typeof polygonSchema>, 'contracts' | 'rpcUrls'>> & {
  readonly rpcUrls: readonly string[]
  readonly contracts: PolygonContracts
}
export type SolanaChainConfig = Readonly<Omit<z.output<typeof solanaSchema>, 'rpcUrls'>> & { readonly rpcUrls: readonly string[] }
export type ChainConfig = Readonly<{ polygon?: PolygonChainConfig; solana?: SolanaChainConfig }>
export type ChainConfigInput = z.input<typeof chainConfigSchema>

function configError(error: z.ZodError): CoffreError {
  const issue = error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? 'chain config' : issue.path.join('.')
  return new CoffreError('COFFRE_INVALID_CONFIG', `${where}: ${issue?.message ?? 'invalid'}`)
}

/** Parses and freezes a chain configuration (contract overrides resolved against the built-in table). */
export function parseChainConfig(input: unknown): ChainConfig {
  const parsed = chainConfigSchema.safeParse(input)
  if (!parsed.success) throw configError(parsed.error)
  const { polygon, solana } = parsed.data
  return Object.freeze({
    ...(polygon === undefined
      ? {}
      : {
          polygon: Object.freeze({
            ...polygon,
            rpcUrls: Object.freeze([...polygon.rpcUrls]),
            contracts: resolveContracts(polygon.chainId, polygon.contracts as Partial<Record<ContractName, string>>),
          }),
        }),
    ...(solana === undefined ? {} : { solana: Object.freeze({ ...solana, rpcUrls: Object.freeze([...solana.rpcUrls]) }) }),
  })
}

export type ChainCliOptions = Readonly<{ polygonRpcUrl?: string; solanaRpcUrl?: string }>

/**
 * The chain part of the CLI configuration: flags win over COFFRE_POLYGON_RPC_URL /
 * COFFRE_SOLANA_RPC_URL; a chain without URLs is left out (its features are then unavailable).
 * `extra` carries the remaining per-chain settings (chain id, contract overrides, caps).
 */
export function chainConfigFromOptions(
  options: ChainCliOptions,
  env: Readonly<Record<string, string | undefined>>,
  extra: { polygon?: Record<string, unknown>; solana?: Record<string, unknown> } = {},
): ChainConfig {
  const polygonUrls = options.polygonRpcUrl ?? env.COFFRE_POLYGON_RPC_URL
  const solanaUrls = options.solanaRpcUrl ?? env.COFFRE_SOLANA_RPC_URL
  return parseChainConfig({
    ...(polygonUrls === undefined || polygonUrls === '' ? {} : { polygon: { ...extra.polygon, rpcUrls: polygonUrls } }),
    ...(solanaUrls === undefined || solanaUrls === '' ? {} : { solana: { ...extra.solana, rpcUrls: solanaUrls } }),
  })
}
