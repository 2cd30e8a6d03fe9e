/**
 * The velocity ring (the store statement as a pure function): over random charge sequences no
 * rolling window of W ever holds more than the limit (checked against an exact log), and a
 * charge the ring refuses would be refused by an exact log with a window of W + W/24.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { applyCharge, bucketWidthMs, scaleAmounts, type VelocityRow } from '../../src/policy/velocity.ts'

test('no rolling window ever exceeds the limit, and refusals are at most one bucket early', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 50 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 20 })), { maxLength: 120 }),
      (windowSeconds, limit, steps) => {
        const windowMs = windowSeconds * 1000
        const bucketMs = bucketWidthMs(windowSeconds)
        let row: VelocityRow | undefined
        let now = 1_700_000_000_000
        const accepted: [number, number][] = []
        for (const [gap, amount] of steps) {
          now += Math.floor((gap / 20_000) * windowMs * 0.3)
          if (amount > limit) continue
          const next = applyCharge(row, { bucket: Math.floor(now / bucketMs), amount, limit })
          const sumSince = (from: number) => accepted.filter(([t]) => t > from).reduce((s, [, a]) => s + a, 0)
          if (next === null) assert.ok(sumSince(now - windowMs - bucketMs) + amount > limit, 'refused although nothing was spent in W + W/24')
          else {
            row = next
            accepted.push([now, amount])
            assert.ok(sumSince(now - windowMs) <= limit, 'a rolling window holds more than the limit')
          }
        }
      },
    ),
    { numRuns: 2000 },
  )
})

test('amounts scale to at most 15 digits, limits down and amounts up', () => {
  assert.deepEqual(scaleAmounts(5n, 500_000000n), { amount: 5, limit: 500_000000, scale: 0 })
  const wei = scaleAmounts(10n ** 18n + 1n, 1000n * 10n ** 18n)
  assert.equal(wei.scale, 7)
  assert.equal(wei.limit, 1000 * 10 ** 11)
  assert.equal(wei.amount, 10 ** 11 + 1)
  assert.ok(scaleAmounts(10n ** 70n, 10n).amount === 11)
})
