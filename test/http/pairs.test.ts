/** /v1/users/{id}/derived-keys and /v1/pairs through buildApp + inject(): scopes, schemas, one error shape, audit. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { deriveChildKeyPair, getDerivedPublicKeys } from '../../src/index.ts'
import { useIdentityKey } from '../../src/vault/keys/useKey.ts'
import { startHarness, type Harness } from './httpHarness.ts'
import { ENGINES } from '../support/engines.ts'
import { contextOf } from '../../src/vault/internals.ts'

const other = (i: number) => deriveChildKeyPair('66'.repeat(32), i).publicKey
const PAIR = '0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000'

for (const engine of ENGINES) describe(`derived-key and pair routes on ${engine}`, () => {
let h: Harness
let user: { id: string; identityPublicKey: string }
let identity: string[]
before(async () => {
  h = await startHarness({}, { engine })
  user = await h.test.vault.users.create({ telegramUserId: 606 })
  const privateKey = await useIdentityKey(contextOf(h.test.vault), { id: user.id }, { purpose: 'test.oracle' }, (k) => Buffer.from(k).toString('hex'))
  identity = getDerivedPublicKeys(privateKey, 40)
})
after(async () => h.close())

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, scope: Parameters<Harness['auth']>[0], payload?: object) =>
  h.app.inject({ method, url, headers: h.auth(scope), ...(payload === undefined ? {} : { payload }) })

describe('derived keys routes', () => {
  test('GET derived-keys?count=N lists [main, derived…]; POST belongs answers { belongs, index }', async () => {
    const listed = await call('GET', `/v1/users/${user.id}/derived-keys?count=5`, 'users:read')
    assert.equal(listed.statusCode, 200, listed.body)
    assert.deepEqual(listed.json(), { publicKeys: identity.slice(0, 6), nextOffset: null })
    assert.deepEqual((await call('GET', `/v1/users/${user.id}/derived-keys`, 'users:read')).json(), { publicKeys: [user.identityPublicKey], nextOffset: null })
    const yes = await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: identity[31], maxDerived: 31 })
    assert.deepEqual(yes.json(), { belongs: true, index: 30 })
    assert.deepEqual((await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: identity[31], maxDerived: 30 })).json(), { belongs: false, index: null })
    assert.deepEqual((await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: user.identityPublicKey })).json(), { belongs: true, index: 'main' })
  })

  test('bad inputs and missing scope get the one error shape', async () => {
    const cases: Array<[number, string, Awaited<ReturnType<typeof call>>]> = [
      [400, 'COFFRE_INVALID_INPUT', await call('GET', `/v1/users/${user.id}/derived-keys?count=-1`, 'users:read')],
      [400, 'COFFRE_INVALID_INPUT', await call('GET', `/v1/users/${user.id}/derived-keys?count=100001`, 'users:read')],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: 'zz' })],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: other(0), extra: 1 })],
      [400, 'COFFRE_INVALID_INPUT', await call('POST', `/v1/users/${user.id}/derived-keys/belongs`, 'users:read', { publicKey: `02${'00'.repeat(32)}` })],
      [404, 'COFFRE_NOT_FOUND', await call('GET', `/v1/users/00000000-0000-7000-8000-000000000000/derived-keys?count=1`, 'users:read')],
      [403, 'COFFRE_FORBIDDEN', await call('GET', `/v1/users/${user.id}/derived-keys?count=1`, 'sign')],
    ]
    for (const [status, code, reply] of cases) {
      assert.equal(reply.statusCode, status, reply.body)
      assert.deepEqual(Object.keys(reply.json()), ['error'])
      assert.equal(reply.json().error.code, code)
    }
    const anonymous = await h.app.inject({ method: 'GET', url: `/v1/users/${user.id}/derived-keys?count=1` })
    assert.equal(anonymous.statusCode, 401)
  })
})

describe('pairs routes', () => {
  test('CRUD, keys, contains; each change audited with the token as actor', async () => {
    const created = await call('POST', '/v1/pairs', 'users:write', { uuid: PAIR, label: 'tablet', publicKey: other(0), publicKeys: [other(1)] })
    assert.equal(created.statusCode, 201, created.body)
    assert.deepEqual({ ...(created.json() as object), createdAt: 0, updatedAt: 0 }, { uuid: PAIR, label: 'tablet', userId: null, publicKey: other(0), publicKeys: [other(1)], derivedCount: 0, createdAt: 0, updatedAt: 0 })
    assert.equal((await call('POST', '/v1/pairs', 'users:write', { uuid: PAIR })).statusCode, 409)
    assert.deepEqual((await call('GET', `/v1/pairs/${PAIR}`, 'users:read')).json(), created.json())
    const added = await call('POST', `/v1/pairs/${PAIR}/keys`, 'users:write', { publicKeys: [other(2), other(0)] })
    assert.deepEqual(added.json().publicKeys, [other(1), other(2)])
    const removed = await call('DELETE', `/v1/pairs/${PAIR}/keys/${other(1)}`, 'users:write')
    assert.deepEqual(removed.json().publicKeys, [other(2)])
    assert.equal((await call('DELETE', `/v1/pairs/${PAIR}/keys/${other(0)}`, 'users:write')).statusCode, 400)
    assert.deepEqual((await call('POST', `/v1/pairs/${PAIR}/contains`, 'users:read', { publicKey: other(2) })).json(), { contains: true })
    assert.deepEqual((await call('POST', `/v1/pairs/${PAIR}/contains`, 'users:read', { publicKey: other(1) })).json(), { contains: false })

    const local = await call('POST', '/v1/pairs', 'users:write', { userId: user.id, derivedCount: 8 })
    assert.equal(local.statusCode, 201, local.body)
    assert.equal(local.json().publicKey, user.identityPublicKey)
    assert.deepEqual((await call('POST', `/v1/pairs/${local.json().uuid}/contains`, 'users:read', { publicKey: identity[8] })).json(), { contains: true })
    assert.deepEqual((await call('POST', `/v1/pairs/${local.json().uuid}/contains`, 'users:read', { publicKey: identity[9] })).json(), { contains: false })
    assert.deepEqual((await call('POST', `/v1/pairs/${local.json().uuid}/contains`, 'users:read', { publicKey: identity[9], maxDerived: 9 })).json(), { contains: true })
    assert.equal((await call('POST', `/v1/pairs/${local.json().uuid}/keys`, 'users:write', { publicKeys: [other(5)] })).statusCode, 422)

    const page = (await call('GET', '/v1/pairs?limit=1', 'users:read')).json()
    assert.equal(page.pairs.length, 1)
    const rest = (await call('GET', `/v1/pairs?cursor=${page.nextCursor}`, 'users:read')).json()
    assert.equal(page.pairs.length + rest.pairs.length, 2)

    assert.equal((await call('DELETE', `/v1/pairs/${PAIR}`, 'users:write')).statusCode, 200)
    assert.equal((await call('GET', `/v1/pairs/${PAIR}`, 'users:read')).statusCode, 404)
    const rows = await contextOf(h.test.vault).store.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', `pair:${PAIR}`).orderBy('seq').execute()
    assert.deepEqual(rows.map((r) => r.action), ['pair.create', 'pair.key.add', 'pair.key.remove', 'pair.delete'])
    assert.ok(rows.every((r) => r.actor === 'http:t-users-write'))
  })

  test('scopes and schemas: reads need users:read, writes users:write; unknown fields and bad keys are 400, nothing written', async () => {
    const before = await h.auditCount()
    assert.equal((await call('POST', '/v1/pairs', 'users:read', { publicKey: other(0) })).statusCode, 403)
    assert.equal((await call('GET', '/v1/pairs', 'sign')).statusCode, 403)
    for (const body of [{ publicKey: 'zz' }, { uuid: 'x' }, { publicKeys: [other(0), 'zz'] }, { color: 'red' }, { userId: user.id, publicKey: other(0) }, { publicKey: other(0), derivedCount: 2 }]) {
      const reply = await call('POST', '/v1/pairs', 'users:write', body)
      assert.equal(reply.statusCode, 400, JSON.stringify(body))
      assert.equal(reply.json().error.code, 'COFFRE_INVALID_INPUT')
    }
    assert.equal((await call('POST', `/v1/pairs/${PAIR}/keys`, 'users:write', { publicKeys: [] })).statusCode, 400)
    assert.equal((await call('POST', `/v1/pairs/${PAIR}/keys`, 'users:write', { publicKeys: [other(3)] })).statusCode, 404)
    assert.equal(await h.auditCount(), before)
  })
})
})
