import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { openStore, type Store } from '../../src/store/openStore.ts'
import { beginIdempotent, completeIdempotent, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys, redactUnkeyedFingerprints, releaseIdempotent } from '../../src/store/idempotencyKeys.ts'
import { createTestStore, ENGINES, type TestStore } from '../support/engines.ts'

for (const engine of ENGINES) {
  describe(`idempotency rows on ${engine}`, () => {
    let testStore: TestStore
    let store: Store
    after(async () => {
      await store?.close()
      await testStore?.cleanup()
    })

    test('claim, busy, replay, mismatch, per-token keys, release, lease takeover, expiry', async () => {
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      const db = store.db
      const t0 = Date.parse('2026-01-01T00:00:00Z')
      assert.deepEqual(await beginIdempotent(db, 'tok_a', 'k1', 'h1', t0), { kind: 'claimed' })
      assert.deepEqual(await beginIdempotent(db, 'tok_a', 'k1', 'h1', t0 + 1), { kind: 'busy' })
      assert.deepEqual(await beginIdempotent(db, 'tok_a', 'k1', 'h2', t0 + 1), { kind: 'mismatch' })
      assert.deepEqual(await beginIdempotent(db, 'tok_b', 'k1', 'h2', t0 + 1), { kind: 'claimed' }, 'keys are per token')
      await completeIdempotent(db, 'tok_a', 'k1', 201, '{"id":1}')
      assert.deepEqual(await beginIdempotent(db, 'tok_a', 'k1', 'h1', t0 + 2), { kind: 'replay', statusCode: 201, body: '{"id":1}' })
      await releaseIdempotent(db, 'tok_b', 'k1')
      assert.deepEqual(await beginIdempotent(db, 'tok_b', 'k1', 'h3', t0 + 3), { kind: 'claimed' }, 'a released key can be used again')
      // A claim whose instance died is taken over once its lease has passed, and only once.
      assert.deepEqual(await beginIdempotent(db, 'tok_b', 'k1', 'h3', t0 + IDEMPOTENCY_LEASE_MS + 10), { kind: 'claimed' })
      assert.deepEqual(await beginIdempotent(db, 'tok_b', 'k1', 'h3', t0 + IDEMPOTENCY_LEASE_MS + 11), { kind: 'busy' })
      // After 24 h the key is forgotten.
      assert.deepEqual(await beginIdempotent(db, 'tok_a', 'k1', 'other', t0 + IDEMPOTENCY_TTL_MS + 5), { kind: 'claimed' })
      assert.equal(await purgeExpiredIdempotencyKeys(db, t0 + 2 * IDEMPOTENCY_TTL_MS + 10), 2)

      // Rows from before keyed fingerprints lose their unkeyed hash and then match nothing.
      const legacy = 'a'.repeat(64)
      assert.deepEqual(await beginIdempotent(db, 'tok_c', 'old', legacy, t0), { kind: 'claimed' })
      await completeIdempotent(db, 'tok_c', 'old', 201, '{"id":2}')
      assert.deepEqual(await beginIdempotent(db, 'tok_c', 'new', 'hm1:abc', t0), { kind: 'claimed' })
      assert.equal(await redactUnkeyedFingerprints(db, 'hm1:'), 1)
      assert.equal(await redactUnkeyedFingerprints(db, 'hm1:'), 0, 'idempotent')
      const hashes = (await db.selectFrom('idempotency_keys').select('request_hash').where('token_id', '=', 'tok_c').orderBy('key').execute()).map((r) => r.request_hash)
      assert.deepEqual(hashes, ['hm1:abc', 'redacted'])
      assert.deepEqual(await beginIdempotent(db, 'tok_c', 'old', legacy, t0 + 1), { kind: 'mismatch' })
    })
  })
}
