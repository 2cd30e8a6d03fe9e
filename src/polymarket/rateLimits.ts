/**
 * Local rate limiting before requests leave for the CLOB, per user (signer) and global
 * (this deployment's IP), so Coffre slows itself down instead of collecting 429s.
 * Built on rate-limiter-flexible: in memory by default, in Redis (ioredis) when several
 * instances share the budget. Each scope is a set of windows that must all admit the request
 * (Polymarket states burst and sustained limits, e.g. POST /order 3,500/10 s and 36,000/10 min).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { CoffreError } from '../errors.ts'

export type ClobRoute = 'order' | 'auth' | 'other'
export type RateWindow = Readonly<{ points: number; durationSec: number }>
export type RouteLimits = Readonly<Record<ClobRoute, readonly RateWindow[]>>

/**
 * Global defaults: Polymarket's documented CLOB limits (docs.polymarket.com/api-reference/rate-limits):
 * POST /order 3,500 req/10 s burst and 36,000 req/10 min sustained, API-key endpoints 100 req/10 s,
 * CLOB general 9,000 req/10 s.
 */
export const documentedGlobalLimits: RouteLimits = Object.freeze({
  order: [{ points: 3_500, durationSec: 10 }, { points: 36_000, durationSec: 600 }],
  auth: [{ points: 100, durationSec: 10 }],
  other: [{ points: 9_000, durationSec: 10 }],
})

/**
 * Per-user defaults. Polymarket's per-signer order buckets depend on a volume tier the
 * client cannot know in advance; these conservative figures are an assumption, to be tuned
 * by configuration: 60 orders/10 s and 1,200/10 min per signer, 10 key requests/10 s.
 */
export const defaultPerUserLimits: RouteLimits = Object.freeze({
  order: [{ points: 60, durationSec: 10 }, { points: 1_200, durationSec: 600 }],
  auth: [{ points: 10, durationSec: 10 }],
  other: [{ points: 300, durationSec: 10 }],
})

export type ClobRateLimiter = {
  /** Resolves once the request may go, waiting up to `maxWaitMs`; else COFFRE_RATE_LIMITED. */
  acquire(args: { userKey: string; route: ClobRoute }): Promise<void>
}

export type RateLimiterOptions = {
  redis?: Redis
  keyPrefix?: string
  global?: RouteLimits
  perUser?: RouteLimits
  maxWaitMs?: number
}

type Bucket = { limiter: RateLimiterAbstract; key: (userKey: string) => string }

export function createClobRateLimiter(options: RateLimiterOptions = {}): ClobRateLimiter {
  const prefix = options.keyPrefix ?? 'coffre:clob'
  const maxWaitMs = options.maxWaitMs ?? 2_000
  const make = (name: string, window: RateWindow): RateLimiterAbstract => {
    const opts = { keyPrefix: `${prefix}:${name}:${window.durationSec}`, points: window.points, duration: window.durationSec }
    return options.redis === undefined ? new RateLimiterMemory(opts) : new RateLimiterRedis({ ...opts, storeClient: options.redis })
  }
  const buckets = new Map<ClobRoute, Bucket[]>()
  for (const route of ['order', 'auth', 'other'] as const) {
    const list: Bucket[] = []
    for (const w of (options.global ?? documentedGlobalLimits)[route]) list.push({ limiter: make(`global:${route}`, w), key: () => 'all' })
    for (const w of (options.perUser ?? defaultPerUserLimits)[route]) list.push({ limiter: make(`user:${route}`, w), key: (u) => u })
    buckets.set(route, list)
  }

  async function tryConsume(list: Bucket[], userKey: string): Promise<number> {
    const taken: Bucket[] = []
    for (const bucket of list) {
      try {
        await bucket.limiter.consume(bucket.key(userKey))
        taken.push(bucket)
      } catch (rejection) {
        await Promise.all(taken.map((b) => b.limiter.reward(b.key(userKey))))
        if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext)
        throw new CoffreError('COFFRE_RATE_LIMITED', 'The rate limiter store failed', { cause: rejection })
      }
    }
    return 0
  }

  return {
    async acquire({ userKey, route }) {
      if (typeof userKey !== 'string' || userKey === '') throw new TypeError('userKey must be a non-empty string')
      const list = buckets.get(route)
      if (list === undefined) throw new TypeError('route must be order, auth or other')
      const deadline = Date.now() + maxWaitMs
      for (;;) {
        const waitMs = await tryConsume(list, userKey.toLowerCase())
        if (waitMs === 0) return
        if (Date.now() + waitMs > deadline) {
          throw new CoffreError('COFFRE_RATE_LIMITED', 'Local Polymarket rate limit reached', { details: { route, retryAfterMs: waitMs } })
        }
        await sleep(waitMs)
      }
    },
  }
}
