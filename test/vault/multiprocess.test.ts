import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { openVault } from '../../src/vault/openVault.ts'
import { createTestStore, type TestStore } from '../support/engines.ts'
import { contextOf } from '../../src/vault/internals.ts'

type Row = { telegramUserId: number; id: string; polygonAddress: string; created: boolean }

function runCreator(url: string, ids: number[], rootKey: Uint8Array): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/createUsersProcess.ts', url, ids.join(',')], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Row[]) : reject(new Error(`creator exited ${code}: ${err}`))))
    child.stdin.end(Buffer.from(rootKey).toString('base64'))
  })
}

let store: TestStore
const rootKey = new Uint8Array(randomBytes(32))
before(async () => {
  store = await createTestStore('postgres')
})
after(async () => store.cleanup())

test('three processes creating the same 60 telegram ids on one PostgreSQL make exactly one user each', async () => {
  const url = (store.config as { url: string }).url
  // Open once so the schema and first data key exist; the processes then race on users only.
  const first = await openVault({ store: store.config, rootKey: { kind: 'local', masterKey: rootKey }, mnemonicWords: 12 })
  await first.close()
  const ids = Array.from({ length: 60 }, (_, i) => 900_000 + i)
  const runs = await Promise.all([runCreator(url, ids, rootKey), runCreator(url, [...ids].reverse(), rootKey), runCreator(url, ids, rootKey)])
  const all = runs.flat()
  const byTelegram = new Map<number, Set<string>>()
  for (const row of all) byTelegram.set(row.telegramUserId, (byTelegram.get(row.telegramUserId) ?? new Set()).add(row.id))
  assert.equal(byTelegram.size, 60)
  for (const [telegramId, userIds] of byTelegram) assert.equal(userIds.size, 1, `telegram ${telegramId} has ${userIds.size} users`)
  assert.equal(all.filter((r) => r.created).length, 60, 'each id was created exactly once across all processes')

  const vault = await openVault({ store: store.config, rootKey: { kind: 'local', masterKey: rootKey }, mnemonicWords: 12 })
  try {
    assert.equal(await vault.users.count(), 60)
    const wallets = await contextOf(vault).store.db.selectFrom('wallets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(wallets.n), 120)
    assert.deepEqual(await vault.audit.verify(), { ok: true, entries: 1 + 1 + 60 }, 'integrity enabled, the first data key, then one entry per user')
    const report = await vault.doctor()
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)))
  } finally {
    await vault.close()
  }
})
