/**
 * Incremental audit-chain verification (what the unauthenticated pages show): from a checkpoint
 * (last verified seq + hash) only newer entries are read and checked, plus the checkpoint row
 * itself and the head. A full verification (`coffre audit verify`, admins) still reads everything.
 * Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { verifyAuditChain, verifyAuditChainFrom } from '../../src/store/audit/verify.ts'
import { ENGINES } from '../support/engines.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { contextOf } from '../../src/vault/internals.ts'

for (const engine of ENGINES) {
  describe(`incremental audit verification on ${engine}`, () => {
    let t: TestVault
    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('from a checkpoint it checks only newer entries, the checkpoint row and the head', async () => {
      const db = contextOf(t.vault).store.db
      for (let i = 0; i < 5; i++) await t.vault.tokens.create({ name: `t${i}`, scopes: ['users:read'] })
      const first = await verifyAuditChainFrom(db, null)
      assert.equal(first.result.ok, true)
      const checkpoint = first.checkpoint
      assert.equal(checkpoint.seq, first.result.entries)
      for (let i = 0; i < 3; i++) await t.vault.tokens.create({ name: `u${i}`, scopes: ['users:read'] })
      const next = await verifyAuditChainFrom(db, checkpoint)
      assert.deepEqual(next.result, { ok: true, entries: checkpoint.seq + 3 })
      assert.equal(next.checkpoint.seq, checkpoint.seq + 3)

      // An entry before the checkpoint is not read again: only the full verification sees it.
      const old = await db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow()
      await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute()
      assert.equal((await verifyAuditChainFrom(db, next.checkpoint)).result.ok, true, 'incremental: entry 2 is behind the checkpoint')
      assert.equal((await verifyAuditChain(db)).firstBrokenEntry, 2, 'the full verification finds it')
      await db.updateTable('audit_log').set({ actor: old.actor }).where('seq', '=', 2).execute()

      // The checkpoint row itself, a newer entry, a truncated tail and a rolled-back head are found.
      const at = next.checkpoint.seq
      const broken = async (reason: RegExp, firstBroken: number) => {
        const outcome = await verifyAuditChainFrom(db, next.checkpoint)
        assert.equal(outcome.result.ok, false)
        assert.equal(outcome.result.firstBrokenEntry, firstBroken)
        assert.match(outcome.result.reason ?? '', reason)
      }
      const row = async (seq: number) => db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow()
      const checkpointRow = await row(at)
      await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', at).execute()
      await broken(/changed since it was verified/, at)
      await db.updateTable('audit_log').set({ actor: checkpointRow.actor }).where('seq', '=', at).execute()

      await t.vault.tokens.create({ name: 'v0', scopes: ['users:read'], policy: 'allow-all' })
      await t.vault.tokens.create({ name: 'v1', scopes: ['users:read'], policy: 'allow-all' })
      const newer = await row(at + 1)
      await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', at + 1).execute()
      await broken(/modified/, at + 1)
      await db.updateTable('audit_log').set({ actor: newer.actor }).where('seq', '=', at + 1).execute()

      const tail = await row(at + 2)
      await db.deleteFrom('audit_log').where('seq', '=', at + 2).execute()
      await broken(/head names entry/, at + 2)
      await db.insertInto('audit_log').values(tail).execute()
      assert.equal((await verifyAuditChainFrom(db, next.checkpoint)).result.ok, true)

      // Whole-chain rollback to before the checkpoint (a restored backup): head and rows go back.
      const head = await db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()
      const before = await row(at - 1)
      await db.deleteFrom('audit_log').where('seq', '>=', at).execute()
      await db.updateTable('audit_head').set({ seq: at - 1, hash: before.hash }).where('id', '=', 1).execute()
      await broken(/rolled back|missing/, at)
      assert.equal((await verifyAuditChain(db)).ok, true, 'a full verification alone cannot see a rollback')
      await db.insertInto('audit_log').values([checkpointRow, newer, tail]).execute()
      await db.updateTable('audit_head').set({ seq: head.seq, hash: head.hash }).where('id', '=', 1).execute()
      assert.equal((await verifyAuditChainFrom(db, next.checkpoint)).result.ok, true)
    })

    test('entries appended while the walk runs are not a broken chain', async () => {
      const db = contextOf(t.vault).store.db
      let stop = false
      let written = 0
      const writer = (async () => {
        while (!stop && written < 400) {
          await t.vault.tokens.create({ name: `w${written}`, scopes: ['users:read'] })
          written += 1
        }
      })()
      const results = []
      try {
        let checkpoint = null
        for (let i = 0; i < 20 && written < 400; i++) {
          const full = (await verifyAuditChainFrom(db, null, { pageSize: 20 })).result
          const step = await verifyAuditChainFrom(db, checkpoint, { pageSize: 20 })
          checkpoint = step.checkpoint
          results.push(full, step.result)
        }
      } finally {
        stop = true
        await writer
      }
      assert.ok(written > 10, `${written} entries were appended during the checks`)
      for (const r of results) assert.equal(r.ok, true, JSON.stringify(r))
    })
  })
}
