/**
 * Pairs cost bounded work per call (issue 9): a pair holds at most 1,000 extra keys (also under
 * concurrent additions), and a page of `pairs list` holds at most MAX_PAIR_KEYS_PER_PAGE keys in
 * total, however many keys its pairs have. Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { deriveChildKeyPair } from '../../../src/index.ts'
import { MAX_PAIR_KEYS_PER_PAGE, MAX_PAIR_PUBLIC_KEYS } from '../../../src/vault/pairs/pairService.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

const keys = Array.from({ length: MAX_PAIR_PUBLIC_KEYS + 1 }, (_, i) => deriveChildKeyPair('77'.repeat(32), i).publicKey)

for (const engine of ENGINES) {
  describe(`pair cost limits on ${engine}`, () => {
    let t: TestVault
    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('a page of pairs holds a bounded number of keys; paging still returns every pair once', async () => {
      const full = Math.floor(MAX_PAIR_KEYS_PER_PAGE / MAX_PAIR_PUBLIC_KEYS) + 3
      const created: string[] = []
      for (let i = 0; i < full; i++) created.push((await t.vault.pairs.create({ publicKey: keys[MAX_PAIR_PUBLIC_KEYS]!, publicKeys: keys.slice(0, MAX_PAIR_PUBLIC_KEYS) })).uuid)
      const seen: string[] = []
      let cursor: string | undefined
      let pages = 0
      for (;;) {
        const page = await t.vault.pairs.list({ limit: 500, ...(cursor === undefined ? {} : { cursor }) })
        const held = page.pairs.reduce((n, p) => n + p.publicKeys.length + 1, 0)
        assert.ok(held <= MAX_PAIR_KEYS_PER_PAGE, `a page holds ${held} keys`)
        seen.push(...page.pairs.map((p) => p.uuid))
        pages += 1
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      assert.ok(pages >= 2)
      assert.deepEqual(seen, [...created].sort())
    })

    test('concurrent additions cannot grow a pair past its key limit', async () => {
      const pair = await t.vault.pairs.create({ publicKey: keys[0]!, publicKeys: keys.slice(1, MAX_PAIR_PUBLIC_KEYS - 1) })
      const results = await Promise.allSettled([keys[MAX_PAIR_PUBLIC_KEYS - 1]!, keys[MAX_PAIR_PUBLIC_KEYS]!, deriveChildKeyPair('78'.repeat(32), 1).publicKey].map((k) => t.vault.pairs.addKeys(pair.uuid, [k])))
      const stored = await t.vault.pairs.get(pair.uuid)
      assert.ok(stored!.publicKeys.length <= MAX_PAIR_PUBLIC_KEYS, `${stored!.publicKeys.length} keys`)
      assert.ok(results.some((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'COFFRE_INVALID_INPUT'))
    })
  })
}
