import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { recoverMessageAddress, recoverTypedDataAddress } from 'viem'
import { openExportEnvelope } from '../../src/crypto/exportEnvelope.ts'
import { errorCodes, type ErrorCode } from '../../src/errors.ts'
import { HTTP_STATUS } from '../../src/http/errorReply.ts'
import { eventually } from '../support/eventually.ts'
import { ENGINES } from '../support/engines.ts'
import { startHarness, type Harness } from './httpHarness.ts'

const typedData = {
  domain: { name: 'ClobAuthDomain', version: '1', chainId: 137 },
  types: { ClobAuth: [{ name: 'address', type: 'address' }, { name: 'timestamp', type: 'string' }, { name: 'nonce', type: 'uint256' }, { name: 'message', type: 'string' }] },
  primaryType: 'ClobAuth',
  message: { address: '0x0000000000000000000000000000000000000001', timestamp: '1700000000', nonce: '0', message: 'This message attests that I control the given wallet' },
}

for (const engine of ENGINES) describe(`HTTP API on ${engine}`, () => {
let h: Harness
before(async () => {
  h = await startHarness({}, { engine })
})
after(async () => h.close())

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => h.app.inject({ method: 'POST', url, payload: payload as object, headers })

describe('users', () => {
  test('create is 201 then 200 with the same user; get by id, by telegram id, list with a cursor', async () => {
    const first = await post('/v1/users', { telegramUserId: 4242, username: 'alice' }, h.auth('users:write'))
    assert.equal(first.statusCode, 201)
    const user = first.json()
    assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'hasMnemonic', 'id', 'identityPublicKey', 'origin', 'polygonAddress', 'solanaAddress', 'telegramUserId', 'username'])
    assert.match(user.polygonAddress, /^0x[0-9a-fA-F]{40}$/)
    const second = await post('/v1/users', { telegramUserId: 4242 }, h.auth('users:write'))
    assert.equal(second.statusCode, 200)
    assert.deepEqual(second.json(), user)
    assert.deepEqual((await h.app.inject({ url: `/v1/users/${user.id}`, headers: h.auth('users:read') })).json(), { ...user, onboardingStage: 'created' }, 'GET by id adds the onboarding stage')
    assert.deepEqual((await h.app.inject({ url: '/v1/users?telegramUserId=4242', headers: h.auth('users:read') })).json(), { users: [user], nextCursor: null })
    assert.deepEqual((await h.app.inject({ url: '/v1/users?telegramUserId=4243', headers: h.auth('users:read') })).json(), { users: [], nextCursor: null })
    await post('/v1/users', { telegramUserId: 4243 }, h.auth('admin'))
    const page1 = (await h.app.inject({ url: '/v1/users?limit=1', headers: h.auth('users:read') })).json()
    assert.equal(page1.users.length, 1)
    assert.equal(typeof page1.nextCursor, 'string')
    const page2 = (await h.app.inject({ url: `/v1/users?limit=1&cursor=${page1.nextCursor}`, headers: h.auth('users:read') })).json()
    assert.notEqual(page2.users[0].id, page1.users[0].id)
  })
})

describe('signing and export', () => {
  let user: { id: string; polygonAddress: string }
  before(async () => {
    user = (await post('/v1/users', { telegramUserId: 777 }, h.auth('users:write'))).json()
  })

  test('typed data and messages are signed by the user\'s address', async () => {
    const signed = await post(`/v1/users/${user.id}/sign/typed-data`, { typedData }, h.auth('sign'))
    assert.equal(signed.statusCode, 200, signed.body)
    const { signature, address } = signed.json()
    assert.equal(address, user.polygonAddress)
    assert.equal(await recoverTypedDataAddress({ ...(typedData as any), signature }), user.polygonAddress)
    const msg = await post(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message: 'hello' }, h.auth('sign'))
    assert.equal(await recoverMessageAddress({ message: 'hello', signature: msg.json().signature }), user.polygonAddress)
    const sol = await post(`/v1/users/${user.id}/sign/message`, { chain: 'solana', message: '68656c6c6f', encoding: 'hex' }, h.auth('sign'))
    assert.equal(sol.statusCode, 200)
    const tx = await post(`/v1/users/${user.id}/sign/evm-transaction`, { transaction: { chainId: 137, nonce: 0, to: '0x0000000000000000000000000000000000000002', value: '1', gas: 21000, maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1000000000' } }, h.auth('sign'))
    assert.equal(tx.statusCode, 200, tx.body)
    assert.match(tx.json().serializedTransaction, /^0x02/)
    const badTyped = await post(`/v1/users/${user.id}/sign/typed-data`, { typedData: { ...typedData, primaryType: 'Nope' } }, h.auth('sign'))
    assert.equal(badTyped.statusCode, 422)
    assert.equal(badTyped.json().error.code, 'COFFRE_SIGNING_FAILED')
  })

  test('export is sealed to the caller\'s X25519 key and the reply holds no plaintext', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('x25519')
    const recipientPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url')
    const before = await h.auditCount()
    const reply = await post(`/v1/users/${user.id}/export`, { recipientPublicKey }, h.auth('export'))
    assert.equal(reply.statusCode, 200, reply.body)
    assert.equal(await h.auditCount(), before + 1)
    const envelope = reply.json()
    const opened = JSON.parse(Buffer.from(await openExportEnvelope(new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)), envelope, user.id)).toString('utf8'))
    assert.equal(opened.polygonAddress, user.polygonAddress)
    assert.equal(opened.mnemonic.split(' ').length, 12)
    for (const secret of [opened.mnemonic, opened.polygonPrivateKey, opened.polygonPrivateKey.slice(2), opened.solanaSecretKey]) assert.ok(!reply.body.includes(secret))
    await assert.rejects(openExportEnvelope(new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)), envelope, '00000000-0000-0000-0000-000000000000'))
    const audited = await h.auditCount()
    const bad = await post(`/v1/users/${user.id}/export`, { recipientPublicKey: 'A'.repeat(43) + '=' }, h.auth('export'))
    assert.equal(bad.statusCode, 400, 'a low-order (all-zero) X25519 key is refused')
    assert.equal(await h.auditCount(), audited, 'before anything is decrypted')
  })
})

describe('Idempotency-Key', () => {
  test('same key and body replays without new work; another body is 422; concurrent duplicates do the work once', async () => {
    const user = (await post('/v1/users', { telegramUserId: 31337 }, h.auth('users:write'))).json()
    const headers = { ...h.auth('sign'), 'idempotency-key': 'sig-1' }
    const before = await h.auditCount()
    const first = await post(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message: 'once' }, headers)
    const again = await post(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message: 'once' }, headers)
    assert.equal(again.statusCode, 200)
    assert.equal(again.body, first.body)
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(await h.auditCount(), before + 1, 'the replay signed nothing')
    const other = await post(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message: 'twice' }, headers)
    assert.equal(other.statusCode, 422)
    assert.equal(other.json().error.code, 'COFFRE_IDEMPOTENCY_MISMATCH')
    // The same key under another token is another key.
    const otherToken = await post(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message: 'twice' }, { ...h.auth('admin'), 'idempotency-key': 'sig-1' })
    assert.equal(otherToken.statusCode, 200)

    const mid = await h.auditCount()
    const storm = await Promise.all(Array.from({ length: 8 }, () => post(`/v1/users/${user.id}/sign/typed-data`, { typedData }, { ...h.auth('sign'), 'idempotency-key': 'storm' })))
    assert.ok(storm.every((r) => r.statusCode === 200 && r.body === storm[0]!.body))
    assert.equal(await h.auditCount(), mid + 1, 'eight concurrent duplicates signed once')

    const created = await post('/v1/users', { telegramUserId: 31338 }, { ...h.auth('users:write'), 'idempotency-key': 'create-1' })
    const replayed = await post('/v1/users', { telegramUserId: 31338 }, { ...h.auth('users:write'), 'idempotency-key': 'create-1' })
    assert.equal(created.statusCode, 201)
    assert.equal(replayed.statusCode, 201, 'the recorded reply, status included')
    const badKey = await post('/v1/users', { telegramUserId: 1 }, { ...h.auth('users:write'), 'idempotency-key': 'has space' })
    assert.equal(badKey.statusCode, 400)
  })
})

describe('bad input writes nothing', () => {
  const cases: [string, () => Promise<{ statusCode: number; json(): any }>, number, ErrorCode][] = [
    ['malformed JSON', () => h.app.inject({ method: 'POST', url: '/v1/users', payload: '{"telegramUserId":', headers: { ...h.auth('users:write'), 'content-type': 'application/json' } }), 400, 'COFFRE_INVALID_INPUT'],
    ['wrong type', () => post('/v1/users', { telegramUserId: '12' }, h.auth('users:write')), 400, 'COFFRE_INVALID_INPUT'],
    ['negative id', () => post('/v1/users', { telegramUserId: -1 }, h.auth('users:write')), 400, 'COFFRE_INVALID_INPUT'],
    ['unknown field', () => post('/v1/users', { telegramUserId: 12, admin: true }, h.auth('users:write')), 400, 'COFFRE_INVALID_INPUT'],
    ['missing body', () => h.app.inject({ method: 'POST', url: '/v1/users', headers: h.auth('users:write') }), 400, 'COFFRE_INVALID_INPUT'],
    ['not JSON', () => h.app.inject({ method: 'POST', url: '/v1/users', payload: 'telegramUserId=12', headers: { ...h.auth('users:write'), 'content-type': 'text/plain' } }), 400, 'COFFRE_INVALID_INPUT'],
    ['oversized body', () => post('/v1/users', { telegramUserId: 12, username: 'x'.repeat(200_000) }, h.auth('users:write')), 413, 'COFFRE_PAYLOAD_TOO_LARGE'],
    ['unknown route', () => h.app.inject({ url: '/v1/nope', headers: h.auth('admin') }), 404, 'COFFRE_NOT_FOUND'],
    ['unknown user', () => h.app.inject({ url: '/v1/users/01930000-0000-7000-8000-000000000000', headers: h.auth('users:read') }), 404, 'COFFRE_NOT_FOUND'],
    ['malformed user id', () => h.app.inject({ url: '/v1/users/not-a-uuid', headers: h.auth('users:read') }), 400, 'COFFRE_INVALID_INPUT'],
    ['sign for unknown user', () => post('/v1/users/01930000-0000-7000-8000-000000000000/sign/message', { chain: 'polygon', message: 'x' }, h.auth('sign')), 404, 'COFFRE_NOT_FOUND'],
    ['unknown chain', () => post('/v1/users/01930000-0000-7000-8000-000000000000/sign/message', { chain: 'btc', message: 'x' }, h.auth('sign')), 400, 'COFFRE_INVALID_INPUT'],
    ['unknown query field', () => h.app.inject({ url: '/v1/users?admin=1', headers: h.auth('users:read') }), 400, 'COFFRE_INVALID_INPUT'],
    ['bad cursor', () => h.app.inject({ url: '/v1/users?cursor=zzz', headers: h.auth('users:read') }), 400, 'COFFRE_INVALID_INPUT'],
  ]
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const users = await h.test.vault.users.count()
      const audit = await h.auditCount()
      const reply = await send()
      assert.equal(reply.statusCode, status)
      assert.deepEqual(Object.keys(reply.json()), ['error'])
      assert.equal(reply.json().error.code, code)
      assert.doesNotMatch(JSON.stringify(reply.json()), /at .*\.ts:\d+|node_modules/)
      assert.equal(await h.test.vault.users.count(), users)
      assert.equal(await h.auditCount(), audit)
    })
  }
})

describe('service endpoints', () => {
  test('health, readiness, metrics, OpenAPI and the docs UI', async () => {
    assert.deepEqual((await h.app.inject({ url: '/healthz' })).json(), { status: 'ok' })
    assert.deepEqual((await h.app.inject({ url: '/readyz' })).json(), { status: 'ready', database: true, rootKey: true })
    const metrics = (await h.app.inject({ url: '/metrics' })).body
    assert.match(metrics, /coffre_http_requests_total\{method="POST",route="\/v1\/users",status="201"\} \d+/)
    assert.match(metrics, /coffre_http_request_duration_seconds_bucket\{le="0.01",method="GET",route="\/healthz",status="200"\}/)
    assert.match(metrics, /coffre_audit_writes_total\{action="user.create"\} \d+/)
    assert.match(metrics, /coffre_data_key_encryptions_total [1-9]\d*/)
    // Store-wide gauges come from the health monitor's background snapshot.
    await eventually('the active key\'s encryption count', async () => (/coffre_data_key_encryption_count\{state="active"\} [1-9]\d*/.test((await h.app.inject({ url: '/metrics' })).body) ? true : undefined))
    assert.ok(!metrics.includes('dk_'), 'no data-key id in /metrics')
    assert.match(metrics, /coffre_data_key_nonce_budget 268435456/)
    assert.match(metrics, /coffre_decrypts_total\{field="wallet:polygon"\} [1-9]/)
    assert.match(metrics, /coffre_signatures_total\{kind="evm.typed-data"\} [1-9]/)
    const spec = (await h.app.inject({ url: '/openapi.json' })).json()
    assert.equal(spec.openapi, '3.0.3')
    for (const path of ['/v1/users', '/v1/users/{id}', '/v1/users/{id}/sign/message', '/v1/users/{id}/sign/typed-data', '/v1/users/{id}/sign/evm-transaction', '/v1/users/{id}/sign/solana-transaction', '/v1/users/import', '/v1/users/{id}/export', '/v1/audit/verify', '/v1/doctor']) {
      assert.ok(spec.paths[path], `OpenAPI documents ${path}`)
    }
    assert.equal(spec.paths['/v1/users'].post.requestBody.content['application/json'].schema.additionalProperties, false)
    const docs = await h.app.inject({ url: '/docs/' })
    assert.equal(docs.statusCode, 200)
    assert.match(docs.body, /swagger/i)
    const asset = await h.app.inject({ url: '/docs/static/swagger-ui-bundle.js' })
    assert.equal(asset.statusCode, 200, 'Swagger UI assets are served locally')
  })

  test('audit verify and doctor for admins', async () => {
    assert.equal((await h.app.inject({ url: '/v1/audit/verify', headers: h.auth('admin') })).json().ok, true)
    const doctor = (await h.app.inject({ url: '/v1/doctor', headers: h.auth('admin') })).json()
    assert.equal(doctor.ok, true, JSON.stringify(doctor))
  })

  test('every error code maps to an HTTP status', () => {
    for (const code of Object.keys(errorCodes)) assert.ok(HTTP_STATUS[code as ErrorCode], `${code} has a status`)
  })

  test('log lines carry no token, body or header', async () => {
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow'
    const reply = await post('/v1/users/import', { telegramUserId: 99001, mnemonic }, h.auth('users:write'))
    assert.equal(reply.statusCode, 201, reply.body)
    await post('/v1/users', { telegramUserId: 'bad' }, { authorization: 'Bearer cfr_secret-looking-garbage' })
    const text = h.logs.join('')
    assert.match(text, /"route":"\/v1\/users\/import"/)
    for (const secret of [mnemonic, 'legal winner', h.tokens['users:write'], 'cfr_secret', 'authorization']) assert.ok(!text.includes(secret), `logs do not contain ${secret.slice(0, 12)}`)
  })
})
})
