/**
 * How the vault reaches Polymarket: the CLOB's base URL and chain (parsed at the edge, e.g.
 * `--clob-url`, `--chain-id`), an optional Redis for rate limits shared by several instances,
 * and tuning for retries, the order sender and credential verification.
 */
import type { Redis } from 'ioredis'
import type { FetchLike } from '../../polymarket/clobTransport.ts'
import { isPolymarketChainId, type PolymarketChainId } from '../../polymarket/contracts.ts'
import type { RateLimiterOptions } from '../../polymarket/rateLimits.ts'
import type { RetryPolicy } from '../../polymarket/retryPolicy.ts'
import type { VerifyOptions } from '../../polymarket/verifyCredentials.ts'
import { CoffreError } from '../../errors.ts'

export const DEFAULT_CLOB_URL = 'https://clob.polymarket.com'
export const DEFAULT_CHAIN_ID = 137

export type OrderSenderTuning = { readonly maxAttempts?: number; readonly backoff?: Partial<RetryPolicy>; readonly leaseMs?: number; readonly batchSize?: number; readonly intervalMs?: number }

export type PolymarketOptions = {
  readonly baseUrl?: string
  readonly chainId?: number
  /** Shares the CLOB rate limits between instances; in memory otherwise. */
  readonly redis?: Redis
  readonly rateLimits?: Omit<RateLimiterOptions, 'redis'>
  readonly retry?: Partial<RetryPolicy>
  readonly timeoutMs?: number
  readonly fetch?: FetchLike
  readonly sender?: OrderSenderTuning
  /** How long a new key may answer 401 before rotation gives up (Polymarket's activation lag). */
  readonly verify?: VerifyOptions
  /**
   * Move API credentials from the legacy import's table into `clob_credentials` when a user has
   * none. Default: only against the production CLOB (legacy keys are production keys).
   */
  readonly adoptLegacyCredentials?: boolean
}

export type ResolvedPolymarketConfig = { readonly baseUrl: string; readonly chainId: PolymarketChainId; readonly adoptLegacy: boolean }

export function resolvePolymarketConfig(options: PolymarketOptions): ResolvedPolymarketConfig {
  const raw = options.baseUrl ?? DEFAULT_CLOB_URL
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new CoffreError('COFFRE_INVALID_CONFIG', 'the CLOB URL is not a URL')
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new CoffreError('COFFRE_INVALID_CONFIG', 'the CLOB URL must be http(s) without credentials, query or fragment')
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  const chainId = options.chainId ?? DEFAULT_CHAIN_ID
  if (!isPolymarketChainId(chainId)) throw new CoffreError('COFFRE_INVALID_CONFIG', 'the Polymarket chain id must be 137 (Polygon) or 80002 (Amoy)')
  return Object.freeze({ baseUrl, chainId, adoptLegacy: options.adoptLegacyCredentials ?? baseUrl === DEFAULT_CLOB_URL })
}
