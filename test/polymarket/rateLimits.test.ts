/** Local CLOB rate limiting, in memory and on a real Redis shared by two limiters (two instances). */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Redis } from 'ioredis'
import { createClobRateLimiter, documentedGlobalLimits } from '../../src/polymarket/rateLimits.ts'
import { startRedis } from '../support/redis.ts'

const small = {
  global: { order: [{ points: 5, durationSec: 1 }], auth: [{ points: 2, durationSec: 10 }], other: [{ points: 100, durationSec: 10 }] },
  perUser: { order: [{ points: 3, durationSec: 1 }], auth: [{ points: 100, durationSec: 10 }], other: [{ points: 100, durationSec: 10 }] },
}

async function admitted(limiter: ReturnType<typeof createClobRateLimiter>, userKey: string, route: 'order' | 'auth', n: number): Promise<number> {
  let ok = 0
  for (let i = 0; i < n; i++) {
    try {
      await limiter.acquire({ userKey, route })
      ok++
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'COFFRE_RATE_LIMITED')
    }
  }
  return ok
}

describe('CLOB rate limiter', () => {
  it('defaults to the documented POST /order burst and sustained limits', () => {
    assert.deepEqual(documentedGlobalLimits.order, [{ points: 3500, durationSec: 10 }, { points: 36000, durationSec: 600 }])
  })

  it('in memory: per-user and global buckets both bound, without waiting', async () => {
    const limiter = createClobRateLimiter({ ...small, maxWaitMs: 0 })
    assert.equal(await admitted(limiter, '0xAA', 'order', 5), 3)
    assert.equal(await admitted(limiter, '0xbb', 'order', 5), 2, 'global bucket has 5 in all and rejected attempts are given back')
    assert.equal(await admitted(limiter, '0xcc', 'auth', 4), 2)
  })

  it('in memory: waits for the window when allowed to', async () => {
    const limiter = createClobRateLimiter({ ...small, maxWaitMs: 2_000 })
    const started = Date.now()
    assert.equal(await admitted(limiter, 'u', 'order', 4), 4)
    assert.ok(Date.now() - started >= 100, 'the fourth order waited for the next window')
  })

  describe('on Redis', () => {
    let redis: Awaited<ReturnType<typeof startRedis>>
    const clients: Redis[] = []
    before(async () => {
      redis = await startRedis()
    })
    after(async () => {
      for (const c of clients) c.disconnect()
      await redis.stop()
    })

    it('two instances share one budget', async () => {
      const a = new Redis(redis.url)
      const b = new Redis(redis.url)
      clients.push(a, b)
      const one = createClobRateLimiter({ ...small, redis: a, keyPrefix: 'shared', maxWaitMs: 0 })
      const two = createClobRateLimiter({ ...small, redis: b, keyPrefix: 'shared', maxWaitMs: 0 })
      const results = await Promise.all([admitted(one, 'user', 'order', 3), admitted(two, 'user', 'order', 3)])
      assert.equal(results[0] + results[1], 3)
      assert.ok((await a.keys('shared:*')).length > 0, 'state lives in Redis')
    })
  })
})
