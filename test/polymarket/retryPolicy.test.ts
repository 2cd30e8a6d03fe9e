import assert from 'node:assert/strict'
import { it } from 'node:test'
import fc from 'fast-check'
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, retryAfterMs } from '../../src/polymarket/retryPolicy.ts'

it('retries 429 and 5xx only', () => {
  assert.deepEqual([400, 401, 404, 429, 500, 502, 503, 599, 600].map(isRetryableStatus), [false, false, false, true, true, true, true, true, false])
})

it('backoff is full jitter under an exponential, capped ceiling', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
      const delay = backoffDelayMs(defaultRetryPolicy, retry, () => r)
      const ceiling = Math.min(defaultRetryPolicy.maxDelayMs, defaultRetryPolicy.baseDelayMs * 2 ** (retry - 1))
      assert.ok(delay >= 0 && delay < ceiling + 1 && delay <= ceiling)
    }),
  )
  assert.equal(backoffDelayMs(defaultRetryPolicy, 3, () => 0.5), 500)
})

it('reads Retry-After as seconds or an HTTP date', () => {
  assert.equal(retryAfterMs('2'), 2000)
  assert.equal(retryAfterMs('0.25'), 250)
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000)
  assert.equal(retryAfterMs(new Date(1_000).toUTCString(), 4_000), 0)
  assert.equal(retryAfterMs(null), undefined)
  assert.equal(retryAfterMs('soon'), undefined)
})
