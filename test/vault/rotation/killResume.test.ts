/**
 * kill -9 at random moments: a real `coffre keys rotate-data` / `coffre import legacy` child
 * process is killed several times; after each kill `doctor` finds every secret decrypting and
 * matching its address, and a final run finishes the job.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { openVault } from '../../../src/vault/openVault.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { createTestStore, type TestStore } from '../../support/engines.ts'
import { killDuringRun } from '../../support/killDuringRun.ts'
import { createTestDatabase } from '../../support/postgres.ts'
import { createLegacyDatabase } from '../../ops/legacyImport/legacyFixtures.ts'
import { contextOf } from '../../../src/vault/internals.ts'

describe('kill -9 during rotate-data and import legacy, on PostgreSQL', () => {
  let store: TestStore
  let source: { url: string; drop(): Promise<void> }
  const rootKey = randomBytes(32)
  let args: string[]
  const env = () => ({ COFFRE_MASTER_KEY: rootKey.toString('base64') })
  const coffre = (more: string[]) => coffreInProcess([...args, ...more], env())
  const doctorOk = async () => {
    const doctor = await coffre(['doctor', '--json'])
    assert.equal(doctor.json.ok, true, JSON.stringify(doctor.json.checks.filter((c: { ok: boolean }) => !c.ok)))
  }

  before(async () => {
    store = await createTestStore('postgres')
    args = ['--database-url', (store.config as { url: string }).url]
    source = await createTestDatabase()
  })
  after(async () => {
    await source.drop()
    await store.cleanup()
  })

  test('import legacy killed twice, then finished: every importable user present once, doctor ok', async () => {
    const legacyKey = new Uint8Array(randomBytes(32))
    const cases = await createLegacyDatabase(source.url, legacyKey, 150)
    const keyFile = join(store.dir, 'legacy.key')
    writeFileSync(keyFile, Buffer.from(legacyKey).toString('base64'), { mode: 0o600 })
    assert.equal((await coffre(['init'])).code, 0)
    const importArgs = [...args, 'import', 'legacy', '--from', source.url, '--legacy-key-file', keyFile, '--batch-size', '10']
    const count = async () => (await coffre(['users', 'list', '--limit', '500', '--json'])).json.users.length as number
    for (let round = 0; round < 2; round++) {
      const before = await count()
      await killDuringRun(importArgs, env(), async () => (await count()) > before)
      await doctorOk()
    }
    const final = await coffre(['import', 'legacy', '--from', source.url, '--legacy-key-file', keyFile, '--json'])
    assert.equal(final.code, 0, final.stderr)
    const importable = cases.filter((c) => c.expect === 'import').length
    assert.equal(final.json.imported + final.json.alreadyPresent, importable)
    assert.ok(final.json.alreadyPresent > 0, 'the killed runs had committed batches')
    assert.equal(await count(), importable)
    await doctorOk()
  })

  test('rotate-data killed three times at random moments, then resumed: doctor ok, all secrets on the active key, old keys retired', async () => {
    const vault = await openVault({ store: store.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12 })
    await vault.users.ensureMany(Array.from({ length: 60 }, (_, i) => ({ telegramUserId: 9000 + i })))
    const progressed = async () => (await vault.keys.progress()).some((p) => p.doneRows > 0 && p.finishedAt === null)
    try {
      for (let round = 0; round < 3; round++) {
        await killDuringRun([...args, 'keys', 'rotate-data', '--batch-size', '7', '--workers', '2'], env(), progressed)
        await doctorOk()
      }
      const resumed = await coffre(['keys', 'rotate-data', '--json'])
      assert.equal(resumed.code, 0, resumed.stderr)
      const keys = (await coffre(['keys', 'list', '--json'])).json as { id: string; state: string }[]
      const active = keys.filter((k) => k.state === 'active')
      assert.equal(active.length, 1)
      assert.deepEqual(keys.filter((k) => k.state === 'decrypt-only'), [])
      assert.ok(keys.filter((k) => k.state === 'retired').length >= 1)
      const { db } = contextOf(vault).store
      const offActive = await db.selectFrom('wallets').select('user_id').where('private_key_ciphertext', 'not like', `cf1.${active[0]!.id}.%`).execute()
      assert.equal(offActive.length, 0)
      for (const p of await vault.keys.progress()) assert.ok(p.finishedAt === null || p.doneRows === p.totalRows, JSON.stringify(p))
      await doctorOk()
    } finally {
      await vault.close()
    }
  })
})
