import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SCOPES, type Scope } from '../../src/vault/tokens/scopes.ts'
import { createRateLimits, DEFAULT_RATE_LIMITS } from '../../src/http/rateLimits.ts'
import { startHarness, type Harness } from './httpHarness.ts'

const USER = '01930000-0000-7000-8000-000000000000'
const KEY = 'A'.repeat(43)
// Every authenticated route, the scope it needs, and a valid-looking request.
const ROUTES: { method: 'GET' | 'POST'; url: string; scope: Scope; body?: object }[] = [
  { method: 'POST', url: '/v1/users', scope: 'users:write', body: { telegramUserId: 5 } },
  { method: 'POST', url: '/v1/users/import', scope: 'users:write', body: { telegramUserId: 6, mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about' } },
  { method: 'GET', url: `/v1/users/${USER}`, scope: 'users:read' },
  { method: 'GET', url: '/v1/users?telegramUserId=5', scope: 'users:read' },
  { method: 'GET', url: '/v1/users?limit=5', scope: 'users:read' },
  { method: 'POST', url: `/v1/users/${USER}/sign/message`, scope: 'sign', body: { chain: 'polygon', message: 'x' } },
  { method: 'POST', url: `/v1/users/${USER}/sign/typed-data`, scope: 'sign', body: { typedData: { types: {}, primaryType: 'X' } } },
  { method: 'POST', url: `/v1/users/${USER}/sign/evm-transaction`, scope: 'sign', body: { transaction: { chainId: 1, nonce: 0, gas: 1, maxFeePerGas: 1, maxPriorityFeePerGas: 1 } } },
  { method: 'POST', url: `/v1/users/${USER}/sign/solana-transaction`, scope: 'sign', body: { transaction: 'AAAA' } },
  { method: 'POST', url: `/v1/users/${USER}/export`, scope: 'export', body: { recipientPublicKey: KEY } },
  { method: 'GET', url: '/v1/audit/verify', scope: 'admin' },
  { method: 'GET', url: '/v1/doctor', scope: 'admin' },
]

let h: Harness
let revoked: string
before(async () => {
  // Auth-failure slow-down off here (tested below) so the matrix can send many bad tokens.
  h = await startHarness({ rateLimits: createRateLimits({ ...DEFAULT_RATE_LIMITS, authFailurePoints: 100_000 }) })
  const token = await h.test.vault.tokens.create({ name: 'gone', scopes: ['admin'] })
  await h.test.vault.tokens.revoke(token.id)
  revoked = token.token
})
after(async () => h.close())

const credentials = (scope: Scope): [string, Record<string, string>, number][] => [
  ['no token', {}, 401],
  ['not bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 401],
  ['malformed token', { authorization: 'Bearer nope' }, 401],
  ['unknown token', { authorization: `Bearer cfr_${'x'.repeat(43)}` }, 401],
  ['revoked token', { authorization: `Bearer ${revoked}` }, 401],
  ...SCOPES.filter((s) => s !== scope && s !== 'admin').map((s): [string, Record<string, string>, number] => [`scope ${s}`, h.auth(s), 403]),
]

test('every route refuses missing, invalid, revoked and under-scoped tokens, and writes nothing', async () => {
  const users = await h.test.vault.users.count()
  const audit = await h.auditCount()
  let checked = 0
  for (const route of ROUTES) {
    for (const [name, headers, status] of credentials(route.scope)) {
      const reply = await h.app.inject({ method: route.method, url: route.url, headers, ...(route.body === undefined ? {} : { payload: route.body }) })
      assert.equal(reply.statusCode, status, `${route.method} ${route.url} with ${name}`)
      const body = reply.json()
      assert.deepEqual(body, { error: { code: status === 401 ? 'COFFRE_UNAUTHORIZED' : 'COFFRE_FORBIDDEN', message: status === 401 ? 'a valid bearer token is required' : `this token lacks the ${route.scope} scope` } })
      checked += 1
    }
    // The right scope (or admin) gets past authorisation.
    for (const scope of new Set<Scope>([route.scope, 'admin'])) {
      const reply = await h.app.inject({ method: route.method, url: route.url, headers: h.auth(scope), ...(route.body === undefined ? {} : { payload: route.body }) })
      assert.ok(![401, 403].includes(reply.statusCode), `${route.method} ${route.url} with ${scope}: ${reply.statusCode}`)
    }
  }
  assert.ok(checked >= ROUTES.length * 8)
  assert.equal(await h.test.vault.users.count(), users + 2, 'only the two authorised writes created users')
  assert.ok((await h.auditCount()) > audit)
})

test('repeated auth failures from one client are slowed down with 429, but a valid token is never locked out', async () => {
  const strict = await startHarness()
  try {
    const bad = { authorization: `Bearer cfr_${'y'.repeat(43)}` }
    const statuses: number[] = []
    for (let i = 0; i < 12; i += 1) statuses.push((await strict.app.inject({ url: '/v1/users?limit=1', headers: bad })).statusCode)
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401))
    assert.equal(statuses[11], 429)
    const stillBad = await strict.app.inject({ url: '/v1/users?limit=1', headers: { authorization: 'Bearer nope' } })
    assert.equal(stillBad.statusCode, 429, 'invalid attempts from the blocked client keep getting 429')
    assert.ok(Number(stillBad.headers['retry-after']) >= 1)
    const none = await strict.app.inject({ url: '/v1/users?limit=1' })
    assert.equal(none.statusCode, 429, 'so do requests without a token')
    const good = await strict.app.inject({ url: '/v1/users?limit=1', headers: strict.auth('users:read') })
    assert.equal(good.statusCode, 200, 'a valid token from the blocked client is served')
    const other = await strict.app.inject({ url: '/v1/users?limit=1', headers: bad, remoteAddress: '10.0.0.9' })
    assert.equal(other.statusCode, 401, 'another client is not affected')
  } finally {
    await strict.close()
  }
})

test('behind a proxy without --trust-proxy, a flood of bad tokens cannot lock out good clients', async () => {
  const proxied = await startHarness({ trustProxy: false })
  try {
    const proxy = '10.1.2.3' // every client arrives from the proxy's address
    const flood = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        proxied.app.inject({ url: '/v1/users?limit=1', remoteAddress: proxy, headers: { authorization: `Bearer cfr_${String(i).padStart(43, 'z')}`, 'x-forwarded-for': '203.0.113.66' } }),
      ),
    )
    assert.ok(flood.every((r) => r.statusCode === 401 || r.statusCode === 429))
    assert.ok(flood.some((r) => r.statusCode === 429), 'the attacker is throttled')
    for (const scope of ['users:read', 'admin'] as const) {
      const good = await proxied.app.inject({ url: '/v1/users?limit=1', remoteAddress: proxy, headers: { ...proxied.auth(scope), 'x-forwarded-for': '198.51.100.7' } })
      assert.equal(good.statusCode, 200, `a good ${scope} client behind the same proxy is served`)
    }
    const write = await proxied.app.inject({ method: 'POST', url: '/v1/users', remoteAddress: proxy, headers: proxied.auth('users:write'), payload: { telegramUserId: 424242 } })
    assert.equal(write.statusCode, 201)
  } finally {
    await proxied.close()
  }
})

test('per-token rate limit', async () => {
  const limited = await startHarness({ rateLimits: createRateLimits({ ...DEFAULT_RATE_LIMITS, tokenPoints: 3, tokenWindowSeconds: 60 }) })
  try {
    const statuses = []
    for (let i = 0; i < 5; i += 1) statuses.push((await limited.app.inject({ url: '/v1/users?limit=1', headers: limited.auth('users:read') })).statusCode)
    assert.deepEqual(statuses, [200, 200, 200, 429, 429])
    assert.equal((await limited.app.inject({ url: '/v1/users?limit=1', headers: limited.auth('admin') })).statusCode, 200, 'limits are per token')
  } finally {
    await limited.close()
  }
})
