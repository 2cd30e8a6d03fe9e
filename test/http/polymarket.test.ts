/** Polymarket routes through buildApp + inject() against the stand-in CLOB: scopes, closed schemas, no secret in any reply, orders by hash and list. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/http/buildApp.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { startStandinClob, type StandinClob } from '../polymarket/standinClob.ts'

let clob: StandinClob
let t: TestVault
let app: FastifyInstance
const tokens: Record<string, string> = {}
let userId: string

before(async () => {
  clob = await startStandinClob({ chainId: 137 })
  t = await openTestVault('sqlite', {}, { polymarket: { baseUrl: clob.url, chainId: 137, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 }, sender: { backoff: { baseDelayMs: 1, maxDelayMs: 5 } } } })
  app = await buildApp({ vault: t.vault })
  for (const scope of ['sign', 'users:read', 'users:write'] as const) tokens[scope] = (await t.vault.tokens.create({ name: `pm-${scope.replace(':', '-')}`, scopes: [scope], policy: 'allow-all' })).token
  userId = (await t.vault.users.create({ telegramUserId: 4242 })).id
})
after(async () => {
  await app.close()
  await t.cleanup()
  await clob.stop()
})

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, scope: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tokens[scope]}`, ...headers }, ...(payload === undefined ? {} : { payload }) })

describe('polymarket routes', () => {
  test('credentials: create-or-derive, list, rotate, revoke; never a secret in a reply', async () => {
    const created = await call('POST', `/v1/users/${userId}/polymarket/credentials`, 'sign', {})
    assert.equal(created.statusCode, 200, created.body)
    const apiKey = created.json().apiKey
    const issued = clob.state.keys.get(apiKey)
    assert.ok(issued)
    const listed = await call('GET', `/v1/users/${userId}/polymarket/credentials`, 'users:read')
    assert.equal(listed.statusCode, 200, listed.body)
    assert.deepEqual(listed.json().clobApiKeys, [apiKey])
    const rotated = await call('POST', `/v1/users/${userId}/polymarket/credentials/rotate`, 'sign')
    assert.equal(rotated.statusCode, 200, rotated.body)
    assert.deepEqual(rotated.json().revoked, [apiKey])
    for (const reply of [created, listed, rotated]) {
      assert.ok(!reply.body.includes(issued.secret.replace(/=+$/, '')) && !reply.body.includes(issued.passphrase), 'no secret in replies')
    }
    const bare = await app.inject({ method: 'POST', url: `/v1/users/${userId}/polymarket/credentials`, headers: { authorization: `Bearer ${tokens.sign}` } })
    assert.equal(bare.statusCode, 200, bare.body)
    assert.equal(bare.json().apiKey, rotated.json().current.apiKey, 'no body: derives the current key')
    const newKey = rotated.json().current.apiKey
    const newIssued = clob.state.keys.get(newKey)
    assert.ok(newIssued && !rotated.body.includes(newIssued.passphrase))
    const ro = await t.vault.polymarket.credentials.readonly.create({ id: userId })
    const removed = await call('DELETE', `/v1/users/${userId}/polymarket/credentials/${ro.apiKey}`, 'sign')
    assert.equal(removed.statusCode, 200, removed.body)
    assert.deepEqual([removed.json().kind, removed.json().state], ['readonly', 'revoked'])
  })

  test('orders: place (idempotent by key), get by hash, list by user and status', async () => {
    const body = { tokenId: '4001', side: 'BUY', price: 0.35, size: 20, tickSize: '0.01', negRisk: false }
    const placed = await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', body, { 'idempotency-key': 'order-1' })
    assert.equal(placed.statusCode, 200, placed.body)
    const order = placed.json()
    assert.deepEqual([order.status, order.makerAmount, order.takerAmount, order.clobStatus], ['sent', '7000000', '20000000', 'live'])
    const replay = await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', body, { 'idempotency-key': 'order-1' })
    assert.equal(replay.json().orderHash, order.orderHash)
    assert.equal(clob.state.orders.size, 1, 'the replayed request placed nothing')

    clob.inject({ kind: 'status', status: 400, path: '/order', error: 'not enough balance / allowance' })
    const refused = await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', { ...body, tokenId: '4002' })
    assert.deepEqual([refused.json().status, refused.json().lastError], ['failed', '400 not enough balance / allowance'])

    const got = await call('GET', `/v1/polymarket/orders/${order.orderHash}`, 'users:read')
    assert.equal(got.statusCode, 200)
    assert.equal(got.json().status, 'sent')
    const all = await call('GET', `/v1/polymarket/orders?userId=${userId}`, 'users:read')
    assert.deepEqual(all.json().orders.map((o: { orderHash: string }) => o.orderHash), [order.orderHash, refused.json().orderHash])
    const failed = await call('GET', '/v1/polymarket/orders?status=failed', 'users:read')
    assert.deepEqual(failed.json().orders.map((o: { orderHash: string }) => o.orderHash), [refused.json().orderHash])
  })

  test('scopes, bad input and unknown objects get the one error shape', async () => {
    const hash = `0x${'ab'.repeat(32)}`
    const cases: Array<[number, string, Awaited<ReturnType<typeof call>>]> = [
      [403, 'COFFRE_FORBIDDEN', await call('POST', `/v1/users/${userId}/polymarket/credentials`, 'users:read', {})],
      [403, 'COFFRE_FORBIDDEN', await call('POST', `/v1/users/${userId}/polymarket/orders`, 'users:write', { tokenId: '1', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false })],
      [403, 'COFFRE_FORBIDDEN', await call('GET', `/v1/polymarket/orders/${hash}`, 'sign')],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', { tokenId: '1', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false, secret: 'x' })],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', { tokenId: '1', side: 'HOLD', price: 0.5, size: 1, tickSize: '0.01', negRisk: false })],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${userId}/polymarket/orders`, 'sign', { tokenId: '1', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false, orderType: 'GTD' })],
      [400, 'COFFRE_INVALID_INPUT', await call('GET', '/v1/polymarket/orders/0x12', 'users:read')],
      [400, 'COFFRE_INVALID_INPUT', await call('GET', '/v1/polymarket/orders?status=lost', 'users:read')],
      [400, 'COFFRE_INVALID_INPUT', await call('GET', '/v1/polymarket/orders?limit=1001', 'users:read')],
      [404, 'COFFRE_NOT_FOUND', await call('GET', `/v1/polymarket/orders/${hash}`, 'users:read')],
      [404, 'COFFRE_NOT_FOUND', await call('POST', '/v1/users/00000000-0000-7000-8000-000000000000/polymarket/credentials', 'sign', {})],
      [404, 'COFFRE_NOT_FOUND', await call('DELETE', `/v1/users/${userId}/polymarket/credentials/no-such-key`, 'sign')],
    ]
    for (const [status, code, reply] of cases) {
      assert.equal(reply.statusCode, status, reply.body)
      assert.deepEqual(Object.keys(reply.json()), ['error'])
      assert.equal(reply.json().error.code, code)
    }
    assert.equal((await app.inject({ method: 'GET', url: '/v1/polymarket/orders' })).statusCode, 401)
  })
})
