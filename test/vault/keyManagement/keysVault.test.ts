import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startJobScheduler } from '../../../src/ops/scheduler/jobScheduler.ts'
import { schedulerJobs } from '../../../src/vault/keyManagement/startScheduler.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { contextOf } from '../../../src/vault/internals.ts'

for (const engine of ENGINES) {
  describe(`vault.keys on ${engine}`, () => {
    let t: TestVault
    before(async () => {
      const rotated: number[] = []
      t = await openTestVault(engine, {}, { observer: { rotated: (_id, n) => rotated.push(n) } })
      await t.vault.users.ensureMany(Array.from({ length: 40 }, (_, i) => ({ telegramUserId: 1000 + i })))
    })
    after(() => t.cleanup())

    test('data-key rotation while signing and user creation run: 0 failures, every secret on the new key, old key retired', async () => {
      const oldId = (await t.vault.keys.list())[0]!.id
      let rotating = true
      let failures = 0
      let signatures = 0
      let created = 0
      const traffic = async (worker: number) => {
        for (let i = 0; rotating || i < 3; i++) {
          try {
            await t.vault.sign.message({ telegramUserId: 1000 + ((worker * 7 + i) % 40) }, { chain: 'polygon', message: `m${i}` })
            signatures += 1
            if (i % 3 === 0) {
              await t.vault.users.create({ telegramUserId: 5000 + worker * 1000 + i })
              created += 1
            }
          } catch {
            failures += 1
          }
        }
      }
      const load = Promise.all([0, 1, 2].map(traffic))
      const summary = await t.vault.keys.rotateData({ batchSize: 16, actor: 'test' })
      rotating = false
      await load
      assert.equal(failures, 0)
      assert.ok(signatures > 0 && created > 0)
      assert.deepEqual(summary.retired, [oldId])
      const keys = await t.vault.keys.list()
      assert.deepEqual(keys.map((k) => [k.id === oldId ? 'old' : 'new', k.state]), [['old', 'retired'], ['new', 'active']])
      for (const field of ['id', 'state', 'encryptionCount', 'budget', 'createdAt', 'provider'] as const) assert.ok(field in keys[0]!)
      const progress = await t.vault.keys.progress()
      assert.equal(progress[0]!.doneRows, progress[0]!.totalRows)
      const report = await t.vault.doctor({ actor: 'test' })
      assert.equal(report.ok, true, JSON.stringify(report.checks))
      assert.match(report.checks.find((c) => c.name === 'key-provider')!.detail, /kind=local keyRef=local:/)
      // Nothing references the retired key in any registered column.
      const stale = await contextOf(t.vault).store.db.selectFrom('wallets').select('user_id').where('private_key_ciphertext', 'like', `cf1.${oldId}.%`).execute()
      assert.equal(stale.length, 0)
    })

    test('background rotation API: status reports it, done resolves with the summary', async () => {
      const running = t.vault.keys.startDataRotation({ actor: 'test' })
      assert.equal(t.vault.keys.startDataRotation().done, running.done, 'one background rotation per vault')
      assert.equal((await t.vault.keys.status()).backgroundRotation, true)
      const summary = await running.done
      assert.ok(summary.newDataKeyId)
      assert.equal((await t.vault.keys.status()).backgroundRotation, false)
    })

    test('scheduler: one runner at a time across instances, results visible in doctor', async () => {
      const { db, dialect } = contextOf(t.vault).store
      let concurrent = 0
      let maxConcurrent = 0
      let runs = 0
      const slowJob = { name: 'slow', pattern: '0 0 1 1 *', run: async () => {
        concurrent += 1
        runs += 1
        maxConcurrent = Math.max(maxConcurrent, concurrent)
        await new Promise((r) => setTimeout(r, 300))
        concurrent -= 1
        return { ok: true, detail: 'done' }
      } }
      const a = startJobScheduler({ db, dialect, instance: 'a', jobs: [slowJob, ...schedulerJobs(t.vault, { health: '0 0 1 1 *', rotationDue: '0 0 1 1 *', auditVerify: '0 0 1 1 *' })] })
      const b = startJobScheduler({ db, dialect, instance: 'b', jobs: [slowJob] })
      const results = await Promise.all([a.runNow('slow'), b.runNow('slow')])
      assert.equal(maxConcurrent, 1)
      assert.equal(runs, 1)
      assert.equal(results.filter((r) => r === null).length, 1, 'the other instance skipped the tick')
      assert.equal((await a.runNow('slow'))?.ok, true, 'the lock is released after a run')
      const due = await a.runNow('rotation-due')
      assert.equal(due?.ok, true)
      assert.equal(due?.detail, 'no rotation due')
      assert.equal((await a.runNow('audit-verify'))?.ok, true)
      assert.equal((await a.runNow('health'))?.ok, true, (await a.runNow('health'))?.detail)
      await a.stop()
      await b.stop()
      const scheduler = (await t.vault.doctor({ secrets: false })).checks.find((c) => c.name === 'scheduler')!
      assert.equal(scheduler.ok, true)
      assert.match(scheduler.detail, /audit-verify ok.*health ok.*rotation-due ok.*slow ok/)
    })
  })
}
