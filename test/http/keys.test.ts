import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eventually } from '../support/eventually.ts'
import { startHarness, type Harness } from './httpHarness.ts'
import { ENGINES } from '../support/engines.ts'

for (const engine of ENGINES) describe(`operator key routes on ${engine}`, () => {
let h: Harness
before(async () => {
  h = await startHarness({}, { engine })
})
after(async () => h.close())

test('admins see the data keys and start a background rotation whose progress shows in /v1/keys, /metrics and the dashboard', async () => {
  for (let i = 0; i < 5; i++) await h.app.inject({ method: 'POST', url: '/v1/users', payload: { telegramUserId: 600 + i }, headers: h.auth('users:write') })
  assert.equal((await h.app.inject({ url: '/v1/keys', headers: h.auth('sign') })).statusCode, 403)
  assert.equal((await h.app.inject({ method: 'POST', url: '/v1/keys/rotate-data', headers: h.auth('users:write') })).statusCode, 403)
  const before = (await h.app.inject({ url: '/v1/keys', headers: h.auth('admin') })).json()
  assert.equal(before.keys.length, 1)
  const oldKey = before.activeDataKeyId

  const started = await h.app.inject({ method: 'POST', url: '/v1/keys/rotate-data', headers: h.auth('admin') })
  assert.equal(started.statusCode, 202, started.body)
  // Wait for the background job (bounded): the old key ends retired and every row re-encrypted.
  let after: { activeDataKeyId: string; backgroundRotation: boolean; keys: { id: string; state: string; doneRows?: number; totalRows?: number }[] } = before
  for (let i = 0; i < 100; i++) {
    after = (await h.app.inject({ url: '/v1/keys', headers: h.auth('admin') })).json()
    if (!after.backgroundRotation && after.keys.find((k) => k.id === oldKey)?.state === 'retired') break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.notEqual(after.activeDataKeyId, oldKey)
  const old = after.keys.find((k) => k.id === oldKey)
  assert.equal(old?.state, 'retired')
  assert.ok((old?.totalRows ?? 0) >= 15, 'users, identity keys and wallets of 5 users')
  assert.equal(old?.doneRows, old?.totalRows)

  // /metrics and the dashboard show the health monitor's background snapshot: wait for the next one.
  const progress = new RegExp(`coffre_data_key_rotation_rows\\{kind="done"\\} ${old?.doneRows}\\n`)
  await eventually('/metrics shows the rotation', async () => (progress.test((await h.app.inject({ url: '/metrics' })).body) ? true : undefined))
  assert.match((await h.app.inject({ url: '/metrics' })).body, new RegExp(`coffre_data_key_rotation_rows\\{kind="total"\\} ${old?.totalRows}\\n`))
  await eventually('the dashboard shows the rotation', async () => ((await h.app.inject({ url: '/' })).body.includes(`${old?.doneRows}/${old?.totalRows}`) ? true : undefined))
  // Users still sign after the rotation.
  const user = (await h.app.inject({ url: '/v1/users?telegramUserId=600', headers: h.auth('users:read') })).json().users[0]
  const signed = await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/sign/message`, payload: { chain: 'polygon', message: 'after rotation' }, headers: h.auth('sign') })
  assert.equal(signed.statusCode, 200)
})
})
