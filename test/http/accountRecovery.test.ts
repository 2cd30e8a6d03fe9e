import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { startHarness, type Harness } from './httpHarness.ts'

const G = [0, 1, 2].map((i) => deriveChildKeyPair('49'.repeat(32), i))
let now = Date.UTC(2026, 11, 2)
let h: Harness
before(async () => {
  h = await startHarness({}, { vault: { recovery: { now: () => now, waitingPeriodSeconds: 3600 } } })
})
after(async () => h?.close())

const post = (url: string, payload: object | undefined, scope: Parameters<Harness['auth']>[0]) => h.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), headers: h.auth(scope) })

test('guardians and account recovery over HTTP: register (export scope), request, approve, owner-visible status, complete after the waiting period', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 41 })
  const base = `/v1/users/${user.id}`
  assert.equal((await post(`${base}/guardians`, { publicKeys: G.map((g) => g.publicKey) }, 'users:write')).statusCode, 403, 'handing out sealed shares needs the export scope')
  const added = await post(`${base}/guardians`, { publicKeys: G.map((g) => g.publicKey), threshold: 2 }, 'export')
  assert.equal(added.statusCode, 201, added.body)
  assert.equal(added.json().sealedShares.length, 3)
  const listed = await h.app.inject({ url: `${base}/guardians`, headers: h.auth('users:read') })
  assert.deepEqual(listed.json(), added.json())

  const requested = await post(`${base}/recovery`, { newTelegramUserId: 4242 }, 'users:write')
  assert.equal(requested.statusCode, 201, requested.body)
  const { requestId, text } = requested.json()
  const sigs = await Promise.all(G.slice(0, 2).map((g) => privateKeyToAccount(`0x${g.privateKey}`).signMessage({ message: text })))
  const bad = await post(`${base}/recovery/${requestId}/approve`, { signatures: [`0x${'11'.repeat(65)}`] }, 'users:write')
  assert.equal(bad.statusCode, 422)
  assert.equal(bad.json().error.code, 'COFFRE_RECOVERY_SIGNATURE_INVALID')
  const approved = await post(`${base}/recovery/${requestId}/approve`, { signatures: sigs }, 'users:write')
  assert.equal(approved.statusCode, 200, approved.body)
  assert.equal(approved.json().state, 'approved')
  const early = await post(`${base}/recovery/${requestId}/complete`, undefined, 'users:write')
  assert.equal(early.statusCode, 409)
  assert.equal(early.json().error.code, 'COFFRE_RECOVERY_PENDING')
  now += 3601_000
  const done = await post(`${base}/recovery/${requestId}/complete`, undefined, 'users:write')
  assert.equal(done.statusCode, 200, done.body)
  assert.equal(done.json().state, 'completed')
  const status = await h.app.inject({ url: `${base}/recovery/${requestId}`, headers: h.auth('users:read') })
  assert.equal(status.json().state, 'completed')
  const moved = await h.app.inject({ url: '/v1/users?telegramUserId=4242', headers: h.auth('users:read') })
  assert.equal(moved.json().users[0].id, user.id)

  const removed = await h.app.inject({ method: 'DELETE', url: `${base}/guardians`, headers: h.auth('users:write') })
  assert.deepEqual(removed.json(), { userId: user.id, setId: added.json().setId, cancelledRequests: 0 })
  assert.equal((await h.app.inject({ url: `${base}/guardians`, headers: h.auth('users:read') })).statusCode, 404)
})

test('the owner cancels over HTTP', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 43 })
  const base = `/v1/users/${user.id}`
  await post(`${base}/guardians`, { publicKeys: G.map((g) => g.publicKey) }, 'export')
  const { requestId } = (await post(`${base}/recovery`, { newTelegramUserId: 4343, ttlSeconds: 600 }, 'users:write')).json()
  const cancelled = await post(`${base}/recovery/${requestId}/cancel`, undefined, 'users:write')
  assert.equal(cancelled.json().state, 'cancelled')
  const again = await post(`${base}/recovery/${requestId}/cancel`, undefined, 'users:write')
  assert.equal(again.statusCode, 409)
})
