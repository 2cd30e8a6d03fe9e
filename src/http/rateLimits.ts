/**
 * Per-token API rate limits and per-client-IP slow-down of failed authentication (never of a
 * valid token: behind a proxy without --trust-proxy every client shares one IP), on
 * rate-limiter-flexible: in memory by default, shared through Redis when the service has one (an
 * in-memory insurance limiter takes over if Redis fails).
 */
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { CoffreError } from '../errors.ts'

export type RateLimitOptions = {
  readonly redis?: Redis
  /** Requests per window per token; 0 turns the limit off. */
  readonly tokenPoints: number
  readonly tokenWindowSeconds: number
  /** Failed authentications per window per client IP before it is blocked for `authBlockSeconds`. */
  readonly authFailurePoints: number
  readonly authFailureWindowSeconds: number
  readonly authBlockSeconds: number
}

export const DEFAULT_RATE_LIMITS: Omit<RateLimitOptions, 'redis'> = {
  tokenPoints: 20_000,
  tokenWindowSeconds: 1,
  authFailurePoints: 10,
  authFailureWindowSeconds: 60,
  authBlockSeconds: 60,
}

export type RateLimits = {
  consumeToken(tokenId: string): Promise<void>
  /**
   * Counts a failed authentication against the client IP; throws COFFRE_RATE_LIMITED once the
   * client is over its budget (and while it is blocked). Only failures are counted and only
   * failures are refused: a request with a valid token never reaches this.
   */
  authFailed(ip: string): Promise<void>
}

function limiter(options: RateLimitOptions, keyPrefix: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract {
  const opts = { keyPrefix, points, duration, blockDuration }
  if (options.redis === undefined) return new RateLimiterMemory(opts)
  return new RateLimiterRedis({ ...opts, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(opts) })
}

const limited = (res: unknown): CoffreError => {
  if (!(res instanceof RateLimiterRes)) return new CoffreError('COFFRE_RATE_LIMITED', 'rate limiter unavailable; retry later', { details: { retryAfterSeconds: 1 } })
  return new CoffreError('COFFRE_RATE_LIMITED', 'too many requests; retry later', { details: { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) } })
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const perToken = options.tokenPoints > 0 ? limiter(options, 'coffre:rl:token', options.tokenPoints, options.tokenWindowSeconds) : null
  const failures = limiter(options, 'coffre:rl:authfail', options.authFailurePoints, options.authFailureWindowSeconds, options.authBlockSeconds)
  return {
    async consumeToken(tokenId) {
      if (perToken === null) return
      await perToken.consume(tokenId).catch((res: unknown) => Promise.reject(limited(res)))
    },
    async authFailed(ip) {
      await failures.consume(ip).catch((res: unknown) => Promise.reject(limited(res)))
    },
  }
}
