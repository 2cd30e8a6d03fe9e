import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { openVault } from '../../src/vault/openVault.ts'
import { createTestStore, type TestStore } from '../support/engines.ts'
import { startRedis } from '../support/redis.ts'
import { startServe, type ServeProcess } from './serveProcess.ts'

let store: TestStore
let redis: { url: string; stop(): Promise<void> }
let servers: ServeProcess[] = []
let env: Record<string, string>
let masterKey: Uint8Array
// Only the servers are child processes (the CLI's start-up dominates on a loaded machine); set-up
// and the final checks open the same database in this process.
const openHere = () => openVault({ store: store.config, rootKey: { kind: 'local', masterKey }, mnemonicWords: 12 })
const RATE = 1_150

before(async () => {
  ;[store, redis] = await Promise.all([createTestStore('postgres'), startRedis()])
  masterKey = new Uint8Array(randomBytes(32))
  env = { DATABASE_URL: (store.config as { url: string }).url, COFFRE_MASTER_KEY: Buffer.from(masterKey).toString('base64') }
})
after(async () => {
  await Promise.all(servers.map((s) => (s.child.exitCode === null ? s.stop() : undefined)))
  await redis.stop()
  await store.cleanup()
})

test('three coffre serve processes on one PostgreSQL: 1,000 concurrent creates for 200 telegram ids, shared Redis rate limit', async () => {
  const setup = await openHere()
  const token = (await setup.tokens.create({ name: 'storm', scopes: ['users:write', 'users:read'], policy: 'allow-all' })).token
  await setup.close()
  const started = await Promise.allSettled([0, 1, 2].map(() => startServe(['--redis-url', redis.url, '--rate-limit', String(RATE), '--rate-limit-window', '120'], env)))
  servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = started.find((r) => r.status === 'rejected')
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason

  const ids = Array.from({ length: 1000 }, (_, i) => 7_000_000 + (i % 200))
  const replies = await Promise.all(
    ids.map(async (telegramUserId, i) => {
      const response = await fetch(`${servers[i % 3]!.url}/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ telegramUserId }) })
      return { status: response.status, body: (await response.json()) as { id: string; telegramUserId: number } }
    }),
  )
  assert.deepEqual([...new Set(replies.map((r) => r.status))].sort(), [200, 201])
  assert.equal(replies.filter((r) => r.status === 201).length, 200, 'each telegram id was created exactly once')
  const idsByTelegram = new Map<number, Set<string>>()
  for (const { body } of replies) idsByTelegram.set(body.telegramUserId, (idsByTelegram.get(body.telegramUserId) ?? new Set()).add(body.id))
  assert.equal(idsByTelegram.size, 200)
  assert.ok([...idsByTelegram.values()].every((s) => s.size === 1), 'every reply for one telegram id names the same user')

  // One Idempotency-Key sent 30 times at once across the instances: every reply is the first one's
  // (201 included), because the key lives in the shared database.
  const keyed = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const response = await fetch(`${servers[i % 3]!.url}/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'across-instances' }, body: JSON.stringify({ telegramUserId: 8_000_000 }) })
      return `${response.status} ${await response.text()}`
    }),
  )
  assert.equal(new Set(keyed).size, 1, 'one reply for one key')
  assert.match(keyed[0]!, /^201 /)

  // The per-token limit is shared through Redis: 1,030 points are spent across the instances, so
  // exactly RATE - 1,030 more pass (in memory each instance would let 300 through).
  const extra = await Promise.all(Array.from({ length: 300 }, (_, i) => fetch(`${servers[i % 3]!.url}/v1/users?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)))
  assert.equal(extra.filter((s) => s === 200).length, RATE - 1030)
  assert.equal(extra.filter((s) => s === 429).length, 300 - (RATE - 1030))

  await Promise.all(servers.map((s) => s.stop()))
  const vault = await openHere()
  try {
    assert.equal(await vault.users.count(), 201)
    const report = await vault.doctor()
    assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)))
    assert.match(report.checks.find((c) => c.name === 'secrets')!.detail, /^201 users checked, 0 failing/, 'every wallet re-derives its address')
    assert.deepEqual(await vault.audit.verify(), { ok: true, entries: 1 + 1 + 201 + 1 + 1 }, 'integrity enabled, the first data key, 201 creations, the token, the doctor secret check')
  } finally {
    await vault.close()
  }
})
