import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { SCOPES, type Scope } from '../../src/vault/tokens/scopes.ts'
import { createRateLimits, DEFAULT_RATE_LIMITS } from '../../src/http/rateLimits.ts'
import type { RouteOptions } from 'fastify'
import { startHarness, type Harness } from './httpHarness.ts'

const USER = '01930000-0000-7000-8000-000000000000'
const KEY = 'A'.repeat(43)
const PAIR = '01930000-0000-7000-8000-0000000000aa'
const PUB = `02${'1'.repeat(64)}`
const HASH = `0x${'ab'.repeat(32)}`
const ADDR = `0x${'cd'.repeat(20)}`
const SAFE_TX = { to: ADDR, value: '0', data: '0x', operation: 0, safeTxGas: '0', baseGas: '0', gasPrice: '0', gasToken: ADDR, refundReceiver: ADDR, nonce: '0' }
// Every authenticated route (its Fastify pattern), the scope it needs, and a request to it. Bodies
// matter only past authorisation (the guard runs before the body is parsed). The route-coverage
// test below fails when a registered /v1 route is missing here or has no guard.
const ROUTES: { method: 'GET' | 'POST' | 'DELETE'; route: string; url: string; scope: Scope; body?: object }[] = [
  { method: 'POST', route: '/v1/users', url: '/v1/users', scope: 'users:write', body: { telegramUserId: 5 } },
  { method: 'POST', route: '/v1/users/import', url: '/v1/users/import', scope: 'users:write', body: { telegramUserId: 6, mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about' } },
  { method: 'GET', route: '/v1/users/:id', url: `/v1/users/${USER}`, scope: 'users:read' },
  { method: 'GET', route: '/v1/users', url: '/v1/users?telegramUserId=5', scope: 'users:read' },
  { method: 'GET', route: '/v1/users', url: '/v1/users?limit=5', scope: 'users:read' },
  { method: 'POST', route: '/v1/users/:id/sign/message', url: `/v1/users/${USER}/sign/message`, scope: 'sign', body: { chain: 'polygon', message: 'x' } },
  { method: 'POST', route: '/v1/users/:id/sign/typed-data', url: `/v1/users/${USER}/sign/typed-data`, scope: 'sign', body: { typedData: { types: {}, primaryType: 'X' } } },
  { method: 'POST', route: '/v1/users/:id/sign/evm-transaction', url: `/v1/users/${USER}/sign/evm-transaction`, scope: 'sign', body: { transaction: { chainId: 1, nonce: 0, gas: 1, maxFeePerGas: 1, maxPriorityFeePerGas: 1 } } },
  { method: 'POST', route: '/v1/users/:id/sign/solana-transaction', url: `/v1/users/${USER}/sign/solana-transaction`, scope: 'sign', body: { transaction: 'AAAA' } },
  { method: 'POST', route: '/v1/users/:id/export', url: `/v1/users/${USER}/export`, scope: 'export', body: { recipientPublicKey: KEY } },
  { method: 'POST', route: '/v1/users/:id/backup', url: `/v1/users/${USER}/backup`, scope: 'export', body: { userShare: { recipientPublicKey: KEY } } },
  { method: 'POST', route: '/v1/users/:id/backup/restore', url: `/v1/users/${USER}/backup/restore`, scope: 'users:write', body: { verifyOnly: true } },
  { method: 'POST', route: '/v1/users/:id/guardians', url: `/v1/users/${USER}/guardians`, scope: 'export', body: { publicKeys: [PUB, PUB] } },
  { method: 'GET', route: '/v1/users/:id/guardians', url: `/v1/users/${USER}/guardians`, scope: 'users:read' },
  { method: 'DELETE', route: '/v1/users/:id/guardians', url: `/v1/users/${USER}/guardians`, scope: 'users:write' },
  { method: 'POST', route: '/v1/users/:id/recovery', url: `/v1/users/${USER}/recovery`, scope: 'users:write', body: { newTelegramUserId: 9 } },
  { method: 'GET', route: '/v1/users/:id/recovery/:requestId', url: `/v1/users/${USER}/recovery/${PAIR}`, scope: 'users:read' },
  { method: 'POST', route: '/v1/users/:id/recovery/:requestId/approve', url: `/v1/users/${USER}/recovery/${PAIR}/approve`, scope: 'users:write', body: { signatures: [`0x${'11'.repeat(65)}`] } },
  { method: 'POST', route: '/v1/users/:id/recovery/:requestId/cancel', url: `/v1/users/${USER}/recovery/${PAIR}/cancel`, scope: 'users:write' },
  { method: 'POST', route: '/v1/users/:id/recovery/:requestId/complete', url: `/v1/users/${USER}/recovery/${PAIR}/complete`, scope: 'users:write' },
  { method: 'POST', route: '/v1/users/:id/safe', url: `/v1/users/${USER}/safe`, scope: 'users:read', body: { coSigners: [], threshold: 1 } },
  { method: 'POST', route: '/v1/users/:id/safe/propose', url: `/v1/users/${USER}/safe/propose`, scope: 'sign', body: { safe: ADDR, chainId: 1, to: ADDR, nonce: '0' } },
  { method: 'POST', route: '/v1/users/:id/safe/sign', url: `/v1/users/${USER}/safe/sign`, scope: 'sign', body: { safe: ADDR, chainId: 1, safeTx: SAFE_TX } },
  { method: 'POST', route: '/v1/safe/execute', url: '/v1/safe/execute', scope: 'users:read', body: { safe: ADDR, chainId: 1, safeTx: SAFE_TX, owners: [ADDR], threshold: 1, signatures: [`0x${'11'.repeat(65)}`] } },
  { method: 'GET', route: '/v1/audit/verify', url: '/v1/audit/verify', scope: 'admin' },
  { method: 'GET', route: '/v1/doctor', url: '/v1/doctor?secrets=false', scope: 'admin' },
  { method: 'GET', route: '/v1/keys', url: '/v1/keys', scope: 'admin' },
  { method: 'POST', route: '/v1/keys/rotate-data', url: '/v1/keys/rotate-data', scope: 'admin' },
  { method: 'GET', route: '/v1/users/:id/derived-keys', url: `/v1/users/${USER}/derived-keys?count=2`, scope: 'users:read' },
  { method: 'POST', route: '/v1/users/:id/derived-keys/belongs', url: `/v1/users/${USER}/derived-keys/belongs`, scope: 'users:read', body: { publicKey: PUB } },
  { method: 'POST', route: '/v1/pairs', url: '/v1/pairs', scope: 'users:write', body: { publicKey: PUB } },
  { method: 'GET', route: '/v1/pairs', url: '/v1/pairs', scope: 'users:read' },
  { method: 'GET', route: '/v1/pairs/:uuid', url: `/v1/pairs/${PAIR}`, scope: 'users:read' },
  { method: 'DELETE', route: '/v1/pairs/:uuid', url: `/v1/pairs/${PAIR}`, scope: 'users:write' },
  { method: 'POST', route: '/v1/pairs/:uuid/keys', url: `/v1/pairs/${PAIR}/keys`, scope: 'users:write', body: { publicKeys: [PUB] } },
  { method: 'DELETE', route: '/v1/pairs/:uuid/keys/:publicKey', url: `/v1/pairs/${PAIR}/keys/${PUB}`, scope: 'users:write' },
  { method: 'POST', route: '/v1/pairs/:uuid/contains', url: `/v1/pairs/${PAIR}/contains`, scope: 'users:read', body: { publicKey: PUB } },
  { method: 'POST', route: '/v1/users/:id/polymarket/credentials', url: `/v1/users/${USER}/polymarket/credentials`, scope: 'sign', body: {} },
  { method: 'GET', route: '/v1/users/:id/polymarket/credentials', url: `/v1/users/${USER}/polymarket/credentials`, scope: 'users:read' },
  { method: 'POST', route: '/v1/users/:id/polymarket/credentials/rotate', url: `/v1/users/${USER}/polymarket/credentials/rotate`, scope: 'sign', body: {} },
  { method: 'DELETE', route: '/v1/users/:id/polymarket/credentials/:key', url: `/v1/users/${USER}/polymarket/credentials/k1`, scope: 'sign' },
  { method: 'POST', route: '/v1/users/:id/polymarket/orders', url: `/v1/users/${USER}/polymarket/orders`, scope: 'sign', body: { tokenId: '1', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false } },
  { method: 'GET', route: '/v1/polymarket/orders/:hash', url: `/v1/polymarket/orders/${HASH}`, scope: 'users:read' },
  { method: 'GET', route: '/v1/polymarket/orders', url: '/v1/polymarket/orders', scope: 'users:read' },
  { method: 'GET', route: '/v1/policies', url: '/v1/policies', scope: 'admin' },
  { method: 'POST', route: '/v1/policies', url: '/v1/policies', scope: 'admin', body: { name: 'p1', document: { rules: [] } } },
  { method: 'GET', route: '/v1/policies/:name', url: '/v1/policies/p1', scope: 'admin' },
  { method: 'POST', route: '/v1/policies/evaluate', url: '/v1/policies/evaluate', scope: 'admin', body: { policy: 'allow-all', request: { operation: 'users.create' } } },
  { method: 'GET', route: '/v1/users/:id/balances', url: `/v1/users/${USER}/balances`, scope: 'users:read' },
  { method: 'POST', route: '/v1/users/:id/withdrawals', url: `/v1/users/${USER}/withdrawals`, scope: 'sign', body: { chain: 'polygon', asset: 'POL', amount: '1', to: `0x${'1'.repeat(40)}` } },
  { method: 'POST', route: '/v1/users/:id/polymarket/approvals', url: `/v1/users/${USER}/polymarket/approvals`, scope: 'sign' },
  { method: 'GET', route: '/v1/withdrawals/:id', url: `/v1/withdrawals/${USER}`, scope: 'users:read' },
]

let h: Harness
let revoked: string
const registered: RouteOptions[] = []
before(async () => {
  // Auth-failure slow-down off here (tested below) so the matrix can send many bad tokens.
  h = await startHarness({ rateLimits: createRateLimits({ ...DEFAULT_RATE_LIMITS, authFailurePoints: 100_000 }), onRoute: (route) => void registered.push(route) })
  const token = await h.test.vault.tokens.create({ name: 'gone', scopes: ['admin'], policy: 'allow-all' })
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

test('every registered /v1 route has a scope guard and is in the authorisation matrix with that scope', () => {
  const v1 = registered.filter((r) => r.url.startsWith('/v1/'))
  assert.ok(v1.length >= 29, `the onRoute hook saw the API routes (${v1.length})`)
  const problems: string[] = []
  for (const route of v1) {
    for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) {
      const hooks = [route.onRequest ?? []].flat() as { scope?: Scope }[]
      const guards = hooks.filter((hook) => typeof hook.scope === 'string')
      if (guards.length !== 1) problems.push(`${method} ${route.url} has ${guards.length} scope guards`)
      const listed = ROUTES.filter((r) => r.method === method && r.route === route.url)
      if (listed.length === 0) problems.push(`${method} ${route.url} is missing from the authorisation matrix`)
      for (const entry of listed) if (entry.scope !== guards[0]?.scope) problems.push(`${method} ${route.url} is guarded by ${guards[0]?.scope} but listed with ${entry.scope}`)
    }
  }
  for (const entry of ROUTES) {
    if (!v1.some((r) => [r.method].flat().includes(entry.method) && r.url === entry.route)) problems.push(`${entry.method} ${entry.route} is listed but not registered`)
  }
  assert.deepEqual(problems, [])
})

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
  assert.ok(checked >= ROUTES.length * 6)
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
