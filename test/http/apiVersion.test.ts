/** The API version on every reply, and requests stating another major refused before any work. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { API_VERSION, majorOf } from '../../src/http/apiVersion.ts'
import { startHarness, type Harness } from './httpHarness.ts'

let h: Harness
before(async () => {
  h = await startHarness()
})
after(async () => h?.close())

describe('Coffre-Api-Version', () => {
  test('is on every reply: API, errors, unknown routes, probes, docs', async () => {
    const replies = await Promise.all([
      h.app.inject({ url: '/v1/users', headers: h.auth('users:read') }),
      h.app.inject({ url: '/v1/users' }),
      h.app.inject({ url: '/v1/nowhere' }),
      h.app.inject({ url: '/healthz' }),
      h.app.inject({ url: '/openapi.json' }),
      h.app.inject({ url: '/docs/' }),
    ])
    assert.deepEqual(replies.map((r) => r.statusCode), [200, 401, 404, 200, 200, 200])
    for (const reply of replies) assert.equal(reply.headers['coffre-api-version'], API_VERSION)
    assert.equal(majorOf(API_VERSION), 1)
  })

  test('a request stating another major is refused with COFFRE_API_VERSION_UNSUPPORTED and changes nothing', async () => {
    const users = await h.test.vault.users.count()
    const audit = await h.auditCount()
    const refused = await h.app.inject({ method: 'POST', url: '/v1/users', headers: { ...h.auth('users:write'), 'coffre-api-version': '2' }, payload: { telegramUserId: 8801 } })
    assert.equal(refused.statusCode, 400)
    assert.equal(refused.json().error.code, 'COFFRE_API_VERSION_UNSUPPORTED')
    assert.match(refused.json().error.message, /speaks Coffre API 1\.0\.0.*client speaks major 2/)
    assert.equal(await h.test.vault.users.count(), users)
    assert.equal(await h.auditCount(), audit)
  })

  test('the same major, in any precision, is served; a malformed version is bad input', async () => {
    for (const stated of ['1', '1.0', '1.4.2', '1.x']) {
      const reply = await h.app.inject({ url: '/v1/users', headers: { ...h.auth('users:read'), 'coffre-api-version': stated } })
      assert.equal(reply.statusCode, 200, stated)
    }
    const bad = await h.app.inject({ url: '/v1/users', headers: { ...h.auth('users:read'), 'coffre-api-version': 'v1; drop' } })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().error.code, 'COFFRE_INVALID_INPUT')
  })
})
