/**
 * vault.polymarket end to end against the stand-in CLOB, on SQLite and PostgreSQL: credentials
 * created/derived with the user's vault key, listed, rotated through an activation window of
 * 401s (crash-safe), revoked, read-only keys; orders signed in the vault, stored in the SQL
 * outbox before sending, retried through 429/5xx/dropped connections and accepted exactly once;
 * pending orders sent after a restart; legacy credentials adopted; no secret in the database in
 * plaintext; an audit row for every use.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Redis } from 'ioredis'
import { createClobClient } from '../../../src/polymarket/clobClient.ts'
import type { FetchLike } from '../../../src/polymarket/clobTransport.ts'
import { privateKeySigner } from '../../../src/polymarket/evmSigner.ts'
import { useWalletKey } from '../../../src/vault/keys/useKey.ts'
import { storeLegacyCredentials } from '../../../src/vault/legacyImport/storeLegacyCredentials.ts'
import type { PolymarketOptions } from '../../../src/vault/polymarket/options.ts'
import { openVault, type Vault } from '../../../src/vault/openVault.ts'
import { ENGINES } from '../../support/engines.ts'
import { startRedis } from '../../support/redis.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { startStandinClob, type StandinClob } from '../../polymarket/standinClob.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const roomy = { order: [{ points: 1000, durationSec: 10 }], auth: [{ points: 1000, durationSec: 10 }], other: [{ points: 1000, durationSec: 10 }] }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function allStoredText(vault: Vault): Promise<string> {
  const db = contextOf(vault).store.db
  const tables = contextOf(vault).store.dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name)
    : (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db)).rows.map((r) => r.name)
  let text = ''
  for (const table of tables) text += JSON.stringify((await sql`select * from ${sql.table(table)}`.execute(db)).rows)
  return text
}

async function auditActions(vault: Vault): Promise<{ action: string; details: string; user_id: string | null }[]> {
  return contextOf(vault).store.db.selectFrom('audit_log').select(['action', 'details', 'user_id']).orderBy('seq').execute()
}

for (const engine of ENGINES) {
  describe(`vault.polymarket (${engine})`, () => {
    let clob: StandinClob
    let t: TestVault
    let vault: Vault
    const cut = { deletes: false }
    const fetchWithCut: FetchLike = (input, init) => (cut.deletes && init.method === 'DELETE' ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init))
    let options: PolymarketOptions

    before(async () => {
      clob = await startStandinClob({ chainId: 137, negRiskTokenIds: ['777'] })
      options = {
        baseUrl: clob.url,
        chainId: 137,
        fetch: fetchWithCut,
        retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
        sender: { backoff: { baseDelayMs: 1, maxDelayMs: 5 }, leaseMs: 200 },
        verify: { initialDelayMs: 40, maxDelayMs: 100, windowMs: 5_000 },
        adoptLegacyCredentials: true,
        rateLimits: { perUser: roomy },
      }
      t = await openTestVault(engine, {}, { polymarket: options })
      vault = t.vault
    })
    after(async () => {
      await t.cleanup()
      await clob.stop()
    })

    it('creates, derives again, lists; secrets never stored in plaintext; every use audited', async () => {
      const user = await vault.users.create({ telegramUserId: 1001 })
      const created = await vault.polymarket.credentials.createOrDerive({ telegramUserId: 1001 }, { actor: 'test' })
      assert.equal(created.address, user.polygonAddress)
      assert.deepEqual([created.kind, created.state, created.nonce, created.chainId, created.baseUrl], ['trading', 'active', 0, 137, clob.url])
      const issued = clob.state.keys.get(created.apiKey)
      assert.ok(issued, 'the CLOB issued this key')
      const again = await vault.polymarket.credentials.createOrDerive({ id: user.id })
      assert.equal(again.apiKey, created.apiKey, 'the second call derives the same key')
      assert.ok(clob.state.requests.some((r) => r.path === '/auth/derive-api-key' && r.status === 200))

      const listing = await vault.polymarket.credentials.list({ id: user.id })
      assert.deepEqual(listing.clobApiKeys, [created.apiKey])
      assert.deepEqual(listing.stored.map((s) => s.apiKey), [created.apiKey])
      assert.ok(!JSON.stringify(listing).includes(issued.secret) && !JSON.stringify(listing).includes(issued.passphrase))

      const stored = await allStoredText(vault)
      assert.ok(stored.includes(created.apiKey), 'the scan does see the tables')
      assert.ok(!stored.includes(issued.secret) && !stored.includes(issued.secret.replace(/=+$/, '')), 'secret in plaintext')
      assert.ok(!stored.includes(issued.passphrase), 'passphrase in plaintext')

      const audit = await auditActions(vault)
      const mine = audit.filter((a) => a.user_id === user.id)
      assert.equal(mine.filter((a) => a.action === 'key.use' && JSON.parse(a.details).purpose === 'polymarket.l1-auth').length, 3, 'create, then refused create + derive: one decrypt per L1 signature')
      assert.equal(mine.filter((a) => a.action === 'polymarket.credentials.store').length, 1)
      assert.equal(mine.filter((a) => a.action === 'polymarket.credentials.confirm').length, 1)
      assert.deepEqual(mine.filter((a) => a.action === 'polymarket.credentials.use').map((a) => JSON.parse(a.details).purpose), ['polymarket.list-api-keys'])
      assert.equal((await vault.audit.verify()).ok, true)
    })

    it('places orders: signed in the vault, outbox first, sent once through 429, 5xx and dropped connections', async () => {
      await vault.users.create({ telegramUserId: 1002 })
      const ref = { telegramUserId: 1002 }
      const posts = () => clob.state.requests.filter((r) => r.path === '/order').length
      const before = posts()
      clob.inject({ kind: 'status', status: 429, path: '/order', retryAfter: '0' })
      clob.inject({ kind: 'status', status: 503, path: '/order' })
      clob.inject({ kind: 'drop', path: '/order' })
      clob.inject({ kind: 'delay', ms: 50, path: '/order' })
      const placed = await vault.polymarket.orders.place(ref, { tokenId: '12345', side: 'BUY', price: 0.55, size: 10, tickSize: '0.01', negRisk: false })
      for (let i = 0; i < 100 && (await vault.polymarket.orders.get(placed.orderHash))?.status === 'pending'; i++) {
        await vault.polymarket.sendDueOrders()
        await sleep(10)
      }
      const sent = await vault.polymarket.orders.get(placed.orderHash)
      assert.equal(sent?.status, 'sent', JSON.stringify(sent))
      assert.equal(sent?.clobOrderId, placed.orderHash)
      assert.equal(sent?.clobStatus, 'live')
      assert.deepEqual([sent?.makerAmount, sent?.takerAmount, sent?.side, sent?.orderType], ['5500000', '10000000', 'BUY', 'GTC'])
      assert.equal(clob.state.orders.has(placed.orderHash), true)
      assert.equal(posts() - before, 4, '429, 503, drop, then the delayed success')

      const lost = await (async () => {
        clob.inject({ kind: 'drop', path: '/order', when: 'after' })
        return vault.polymarket.orders.place(ref, { tokenId: '777', side: 'SELL', price: 0.4, size: 5, tickSize: '0.01', negRisk: true })
      })()
      assert.equal(lost.status, 'sent', 'the resend was answered Duplicated: the CLOB holds it')
      assert.equal([...clob.state.orders.keys()].filter((h) => h === lost.orderHash).length, 1)

      clob.inject({ kind: 'status', status: 400, path: '/order', error: 'not enough balance / allowance' })
      const refused = await vault.polymarket.orders.place(ref, { tokenId: '12346', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false })
      assert.deepEqual([refused.status, refused.lastError], ['failed', '400 not enough balance / allowance'])

      const gtd = await vault.polymarket.orders.place(ref, { tokenId: '12347', side: 'BUY', price: 0.5, size: 2, tickSize: '0.01', negRisk: false, orderType: 'GTD', expiration: Math.floor(Date.now() / 1000) + 3600 })
      assert.equal(gtd.status, 'sent')
      await assert.rejects(vault.polymarket.orders.place(ref, { tokenId: '1', side: 'BUY', price: 0.5, size: 2, tickSize: '0.01', negRisk: false, orderType: 'GTD' }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(vault.polymarket.orders.place(ref, { tokenId: '1', side: 'BUY', price: 1.5, size: 2, tickSize: '0.01', negRisk: false }), { code: 'COFFRE_INVALID_INPUT' })

      const user = await vault.users.get(ref)
      const mine = await vault.polymarket.orders.list({ userRef: ref })
      assert.deepEqual(mine.map((o) => o.orderHash), [placed.orderHash, lost.orderHash, refused.orderHash, gtd.orderHash])
      assert.deepEqual((await vault.polymarket.orders.list({ userRef: ref, status: 'failed' })).map((o) => o.orderHash), [refused.orderHash])
      const audit = (await auditActions(vault)).filter((a) => a.user_id === user?.id)
      assert.equal(audit.filter((a) => a.action === 'key.use' && JSON.parse(a.details).purpose === 'polymarket.order').length, 4, 'one key decrypt per order')
      assert.ok(audit.filter((a) => a.action === 'polymarket.credentials.use' && JSON.parse(a.details).purpose === 'polymarket.post-order').length >= 4, 'credentials opened per send, audited')
      assert.equal((await vault.audit.verify()).ok, true)
    })

    it('rotates through the new key\'s 401 window, stores the new key before deleting the old, and finishes an interrupted rotation', async () => {
      await vault.users.create({ telegramUserId: 1003 })
      const ref = { telegramUserId: 1003 }
      const first = await vault.polymarket.credentials.createOrDerive(ref)
      clob.setNewKeyInactiveMs(250)
      const rotated = await vault.polymarket.credentials.rotate(ref)
      clob.setNewKeyInactiveMs(0)
      assert.notEqual(rotated.current.apiKey, first.apiKey)
      assert.equal(rotated.current.nonce, 1, 'a new key comes from the next L1 nonce')
      assert.ok(rotated.verifyAttempts > 1, 'the new key answered 401 first')
      assert.deepEqual(rotated.revoked, [first.apiKey])
      assert.equal(clob.state.keys.has(first.apiKey), false, 'old key deleted at the CLOB')
      const stored = (await vault.polymarket.credentials.list(ref)).stored
      assert.deepEqual(stored.map((s) => [s.apiKey, s.state, s.rotatedAt !== null]), [[rotated.current.apiKey, 'active', false], [first.apiKey, 'revoked', true]])

      // Interrupted: the CLOB cannot be reached for the DELETE; the new key is already stored.
      cut.deletes = true
      try {
        await assert.rejects(vault.polymarket.credentials.rotate(ref), { code: 'COFFRE_UPSTREAM_FAILED' })
      } finally {
        cut.deletes = false
      }
      const midway = (await vault.polymarket.credentials.list(ref)).stored.filter((s) => s.state === 'active')
      assert.equal(midway.length, 2, 'both keys active: new stored, old not yet deleted')
      const keysBefore = clob.state.keys.size
      const finished = await vault.polymarket.credentials.rotate(ref)
      assert.equal(finished.current.apiKey, midway[0]?.apiKey, 'finishes with the stored new key, no third key')
      assert.deepEqual(finished.revoked, [rotated.current.apiKey])
      assert.equal(clob.state.keys.size, keysBefore - 1)

      const order = await vault.polymarket.orders.place(ref, { tokenId: '9', side: 'BUY', price: 0.2, size: 5, tickSize: '0.01', negRisk: false })
      assert.equal(order.status, 'sent')
      assert.equal(order.owner, finished.current.apiKey)

      const revoked = await vault.polymarket.credentials.revoke(ref)
      assert.equal(revoked.state, 'revoked')
      assert.equal(clob.state.keys.has(finished.current.apiKey), false)
      await assert.rejects(vault.polymarket.credentials.rotate(ref), { code: 'COFFRE_NOT_FOUND' })
    })

    it('read-only keys: create, list, delete', async () => {
      await vault.users.create({ telegramUserId: 1004 })
      const ref = { telegramUserId: 1004 }
      await vault.polymarket.credentials.createOrDerive(ref)
      const ro = await vault.polymarket.credentials.readonly.create(ref)
      assert.equal(ro.kind, 'readonly')
      const listed = await vault.polymarket.credentials.readonly.list(ref)
      assert.deepEqual(listed.clobApiKeys, [ro.apiKey])
      const deleted = await vault.polymarket.credentials.readonly.delete(ref, ro.apiKey)
      assert.equal(deleted.state, 'revoked')
      assert.deepEqual((await vault.polymarket.credentials.readonly.list(ref)).clobApiKeys, [])
    })

    it('adopts credentials the legacy import stored, once', async () => {
      const user = await vault.users.create({ telegramUserId: 1005 })
      const legacy = await useWalletKey(contextOf(vault), { id: user.id }, 'polygon', { purpose: 'test.legacy-bot' }, async (key) => {
        const signer = privateKeySigner(key)
        try {
          return await createClobClient({ baseUrl: clob.url, chainId: 137 }).createOrDeriveApiKey(signer)
        } finally {
          signer.destroy()
        }
      })
      const enc = (s: string) => new TextEncoder().encode(s)
      await storeLegacyCredentials(contextOf(vault), [{ userId: user.id, credentials: { apiKey: legacy.key, secret: enc(legacy.secret), passphrase: enc(legacy.passphrase) } }], 'test')
      const listing = await vault.polymarket.credentials.list({ id: user.id })
      assert.deepEqual(listing.clobApiKeys, [legacy.key])
      assert.deepEqual(listing.stored.map((s) => [s.apiKey, s.nonce, s.state]), [[legacy.key, 0, 'active']])
      assert.equal((await contextOf(vault).store.db.selectFrom('legacy_api_credentials').selectAll().where('user_id', '=', user.id).execute()).length, 0)
      assert.equal((await auditActions(vault)).filter((a) => a.action === 'polymarket.credentials.adopt-legacy' && a.user_id === user.id).length, 1)
      const order = await vault.polymarket.orders.place({ id: user.id }, { tokenId: '5', side: 'BUY', price: 0.3, size: 3, tickSize: '0.01', negRisk: false })
      assert.equal(order.status, 'sent')
    })

    it('pending orders survive a restart (close and reopen) and are sent exactly once after it', async () => {
      await vault.users.create({ telegramUserId: 1006 })
      const ref = { telegramUserId: 1006 }
      const queued = await vault.polymarket.orders.place(ref, { tokenId: '31', side: 'BUY', price: 0.5, size: 4, tickSize: '0.01', negRisk: false }, { send: false })
      const claimedThenCrashed = await vault.polymarket.orders.place(ref, { tokenId: '32', side: 'SELL', price: 0.5, size: 4, tickSize: '0.01', negRisk: false }, { send: false })
      assert.equal(queued.status, 'pending')
      // A sender claims the second (lease) and the process dies before it posts.
      const store = (await import('../../../src/store/polymarketOutbox.ts')).createSqlOrderOutboxStore(contextOf(vault).store.db, contextOf(vault).store.dialect)
      const claimed = await store.claimDue({ now: Date.now(), limit: 10, leaseMs: 300 })
      assert.ok(claimed.some((c) => c.orderHash === claimedThenCrashed.orderHash))
      await vault.close()
      assert.equal(clob.state.orders.has(queued.orderHash), false)

      vault = await openVault(t.config, { polymarket: options })
      t.vault = vault
      vault.polymarket.startOrderSender(20)
      for (let i = 0; i < 200; i++) {
        const [a, b] = await Promise.all([vault.polymarket.orders.get(queued.orderHash), vault.polymarket.orders.get(claimedThenCrashed.orderHash)])
        if (a?.status === 'sent' && b?.status === 'sent') break
        await sleep(20)
      }
      await vault.polymarket.stopOrderSender()
      assert.equal((await vault.polymarket.orders.get(queued.orderHash))?.status, 'sent')
      assert.equal((await vault.polymarket.orders.get(claimedThenCrashed.orderHash))?.status, 'sent')
      const posted = clob.state.requests.filter((r) => r.path === '/order' && r.status === 200).length
      assert.ok(posted >= 2)
      assert.equal(clob.state.orders.has(queued.orderHash) && clob.state.orders.has(claimedThenCrashed.orderHash), true)
    })
  })
}

describe('vault.polymarket rate limits in Redis', () => {
  it('counts CLOB requests in the shared Redis when one is configured', async () => {
    const redis = await startRedis()
    const clob = await startStandinClob({ chainId: 137 })
    const client = new Redis(redis.url)
    const t = await openTestVault('sqlite', {}, { polymarket: { baseUrl: clob.url, chainId: 137, redis: client, rateLimits: { keyPrefix: 'coffre:test' } } })
    try {
      await t.vault.users.create({ telegramUserId: 2001 })
      const order = await t.vault.polymarket.orders.place({ telegramUserId: 2001 }, { tokenId: '1', side: 'BUY', price: 0.5, size: 2, tickSize: '0.01', negRisk: false })
      assert.equal(order.status, 'sent')
      const keys = await client.keys('coffre:test:*')
      assert.ok(keys.some((k) => k.includes('global:order')) && keys.some((k) => k.includes('user:order')), keys.join(','))
    } finally {
      await t.cleanup()
      client.disconnect()
      await clob.stop()
      await redis.stop()
    }
  })
})
