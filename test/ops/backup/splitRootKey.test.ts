import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CoffreError } from '../../../src/errors.ts'
import { combineRootKeyShares } from '../../../src/ops/backup/combineRootKeyShares.ts'
import { splitRootKey } from '../../../src/ops/backup/splitRootKey.ts'

const isInvalidInput = (error: unknown) => error instanceof CoffreError && error.code === 'COFFRE_INVALID_INPUT'

describe('splitRootKey / combineRootKeyShares', () => {
  for (const [n, t] of [[2, 2], [3, 2], [5, 3], [7, 7], [10, 4]] as const) {
    it(`round-trips a ${t}-of-${n} split, from the first and the last ${t} shares`, async () => {
      const secret = new Uint8Array(randomBytes(32))
      const shares = await splitRootKey(secret, { shares: n, threshold: t })
      assert.equal(shares.length, n)
      assert.equal(new Set(shares).size, n)
      shares.forEach((share, i) => assert.match(share, new RegExp(`^coffre-share-v1-[0-9A-Z]{8}-${t}-${i + 1}-([0-9A-Z]{1,6}-){11}[0-9A-Z]{8}$`)))
      assert.deepEqual(await combineRootKeyShares(shares.slice(0, t)), secret)
      assert.deepEqual(await combineRootKeyShares(shares.slice(-t).reverse()), secret)
      assert.deepEqual(await combineRootKeyShares(shares), secret)
    })
  }

  it('gives back the secret from any subset of at least threshold shares (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 2, max: 8 }).chain((n) =>
          fc.integer({ min: 2, max: n }).chain((t) =>
            fc.tuple(fc.constant(n), fc.constant(t), fc.shuffledSubarray([...Array(n).keys()], { minLength: t })),
          ),
        ),
        async (secret, [n, t, picked]) => {
          const shares = await splitRootKey(secret, { shares: n, threshold: t })
          assert.deepEqual(await combineRootKeyShares(picked.map((i) => shares[i] as string)), secret)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('does not change or keep the caller\'s secret', async () => {
    const secret = new Uint8Array(randomBytes(32))
    const copy = secret.slice()
    const shares = await splitRootKey(secret, { shares: 3, threshold: 2 })
    assert.deepEqual(secret, copy)
    secret.fill(0)
    assert.deepEqual(await combineRootKeyShares(shares.slice(1)), copy)
  })

  it('validates its arguments', async () => {
    const secret = new Uint8Array(32)
    await assert.rejects(splitRootKey('00'.repeat(32) as unknown as Uint8Array, { shares: 3, threshold: 2 }), TypeError)
    await assert.rejects(splitRootKey(new Uint8Array(16), { shares: 3, threshold: 2 }), isInvalidInput)
    for (const [shares, threshold] of [[1, 1], [256, 2], [3, 1], [3, 4], [2.5, 2], [3, Number.NaN]]) {
      await assert.rejects(splitRootKey(secret, { shares: shares as number, threshold: threshold as number }), isInvalidInput)
    }
    await assert.rejects(splitRootKey(secret, { shares: 3, threshold: 2, vaultId: '' }), isInvalidInput)
    assert.equal((await splitRootKey(secret, { shares: 255, threshold: 255 })).length, 255)
  })
})
