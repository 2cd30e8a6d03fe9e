/**
 * `/`, `/readyz`, `/healthz` and `/metrics` need no token, so they must cost O(1) and show no
 * identifiers (issue 9): they answer from the health monitor's latest results — no store query and
 * no key-provider call per request (counted here on a real AWS KMS, moto's), no token names and
 * no data-key ids. Both engines; the in-process hang is simulated on SQLite's single connection.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/http/buildApp.ts'
import { createHttpMetrics } from '../../src/http/metrics.ts'
import { openKeyProvider } from '../../src/keyProviders/openKeyProvider.ts'
import type { KeyProvider } from '../../src/keyProviders/keyProvider.ts'
import { openVault, type Vault } from '../../src/vault/openVault.ts'
import { createTestStore, ENGINES, type TestStore } from '../support/engines.ts'
import { eventually } from '../support/eventually.ts'
import { startLocalKms, type LocalKms } from '../support/kms.ts'
import { startHarness } from './httpHarness.ts'
import { contextOf } from '../../src/vault/internals.ts'

/** The real provider, with its unwrap calls (KMS Decrypt) counted. */
function counted(provider: KeyProvider): KeyProvider & { unwraps: number } {
  const counter = {
    unwraps: 0,
    info: provider.info,
    generateDataKey: (context: Parameters<KeyProvider['generateDataKey']>[0]) => provider.generateDataKey(context),
    wrapDataKey: (plaintext: Uint8Array, context: Parameters<KeyProvider['wrapDataKey']>[1]) => provider.wrapDataKey(plaintext, context),
    unwrapDataKey: (wrapped: Uint8Array, context: Parameters<KeyProvider['unwrapDataKey']>[1]) => {
      counter.unwraps += 1
      return provider.unwrapDataKey(wrapped, context)
    },
    close: () => provider.close(),
  }
  return counter
}

let kms: LocalKms
before(async () => {
  kms = await startLocalKms()
  // The provider takes the SDK's default credential chain, as in production.
  process.env.AWS_ACCESS_KEY_ID ??= kms.credentials.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY ??= kms.credentials.secretAccessKey
})
after(async () => kms.stop())

for (const engine of ENGINES) {
  describe(`unauthenticated pages on ${engine}`, () => {
    let store: TestStore
    let vault: Vault
    let app: FastifyInstance
    let provider: ReturnType<typeof counted>
    before(async () => {
      store = await createTestStore(engine)
      const rootKey = { kind: 'aws-kms' as const, keyId: await kms.createKey(), region: kms.region, endpoint: kms.endpoint }
      provider = counted(await openKeyProvider(rootKey))
      const metrics = createHttpMetrics({ defaultMetrics: false })
      vault = await openVault({ store: store.config, rootKey, mnemonicWords: 12 }, { keyProvider: provider, observer: metrics.observer })
      app = await buildApp({ vault, metrics, health: { probeIntervalMs: 50, snapshotIntervalMs: 100 } })
    })
    after(async () => {
      await app.close()
      await vault.close()
      await store.cleanup()
    })

    test('page views make no KMS call: the root-key check runs at most once a minute', async () => {
      const before = provider.unwraps
      for (let i = 0; i < 25; i++) {
        for (const url of ['/readyz', '/', '/metrics', '/healthz']) assert.equal((await app.inject({ url })).statusCode, 200, url)
      }
      assert.equal(provider.unwraps, before, '100 page views, no unwrap')
      assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ready', database: true, rootKey: true })
    })

    test('no token names, user ids or data-key ids on unauthenticated pages', async () => {
      const token = await vault.tokens.create({ name: 'payroll-bot-7', scopes: ['users:write', 'sign'], policy: 'allow-all' })
      const headers = { authorization: `Bearer ${token.token}` }
      const created = await app.inject({ method: 'POST', url: '/v1/users', headers, payload: { telegramUserId: 8675309 } })
      assert.equal(created.statusCode, 201)
      const user = created.json()
      await app.inject({ method: 'POST', url: `/v1/users/${user.id}/sign/message`, headers, payload: { chain: 'polygon', message: 'hi' } })
      await vault.keys.rotateData({ actor: 'cli' })
      const keyIds = (await vault.keys.list()).map((k) => k.id)
      assert.ok(keyIds.length >= 2)
      const page = await eventually('the dashboard shows the new user and the rotation', async () => {
        const body = (await app.inject({ url: '/' })).body
        return /<div class="tile" id="users">Users<b>1<\/b>/.test(body) && body.includes('retired') ? body : undefined
      })
      const metrics = (await app.inject({ url: '/metrics' })).body
      for (const [name, text] of [['dashboard', page], ['metrics', metrics]] as const) {
        for (const secret of ['payroll-bot-7', token.id, user.id, '8675309', user.polygonAddress, ...keyIds]) assert.ok(!text.includes(secret), `${name} shows ${secret}`)
        assert.ok(!text.includes('dk_'), `${name} shows a data-key id`)
      }
      assert.match(page, /<td>user\.create<\/td><td>http<\/td><td>telegram:…<\/td>/, 'the actor column shows the kind only')
      assert.match(metrics, /coffre_data_key_encryption_count\{state="active"\} \d+/)
      assert.match(metrics, /coffre_data_keys\{state="retired"\} [1-9]/)
      assert.match(metrics, /coffre_data_key_encryptions_total [1-9]/)
      assert.match(metrics, /coffre_audit_chain_intact 1/)
    })
  })
}

describe('a store that stops answering (SQLite connection held by a stuck transaction)', () => {
  test('/readyz turns 503, /healthz turns 503 after the stuck limit, pages keep answering; all recover', async () => {
    const h = await startHarness({ health: { probeIntervalMs: 50, probeTimeoutMs: 300, snapshotIntervalMs: 100, stuckAfterMs: 1_000 } })
    // A page that waited on the store would hang: fail it instead (the bound is loose on purpose).
    const get = (url: string) =>
      Promise.race([h.app.inject({ url }), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${url} did not answer`)), 5_000).unref())])
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    try {
      assert.equal((await get('/readyz')).statusCode, 200)
      // Everything else on this vault's one SQLite connection now waits behind this transaction.
      const held = contextOf(h.test.vault).store.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx)
        await gate
      })
      await eventually('/readyz answers 503', async () => ((await get('/readyz')).statusCode === 503 ? true : undefined))
      assert.deepEqual((await get('/readyz')).json(), { status: 'unavailable', database: false, rootKey: true })
      await eventually('/healthz answers 503', async () => ((await get('/healthz')).statusCode === 503 ? true : undefined))
      assert.deepEqual((await get('/healthz')).json(), { status: 'stuck' })
      for (const url of ['/', '/metrics']) assert.equal((await get(url)).statusCode, 200, `${url} answers from the cache`)
      assert.match((await get('/metrics')).body, /coffre_ready 0/)
      release()
      await held
      await eventually('/readyz recovers', async () => ((await get('/readyz')).statusCode === 200 ? true : undefined))
      await eventually('/healthz recovers', async () => ((await get('/healthz')).statusCode === 200 ? true : undefined))
    } finally {
      release()
      await h.close()
    }
  })
})
