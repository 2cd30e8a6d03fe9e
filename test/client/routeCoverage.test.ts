/**
 * Every /v1 operation of the OpenAPI document has a client method, and each method calls the
 * route it claims. A route added to the server without a method fails here at once; the Python
 * client has the same test (clients/python/tests/test_route_coverage.py).
 */
import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { createCoffreClient, type CoffreClient } from '../../src/client/index.ts'
import { loadOpenApiDocument } from '../../scripts/gen-client.ts'

const U = '01900000-0000-7000-8000-000000000001'
const P = '01900000-0000-7000-8000-000000000002'
const KEY = `02${'ab'.repeat(32)}`
const HASH = `0x${'cd'.repeat(32)}`

/** Each client method, called with placeholder arguments, and the operation it must reach. */
const A = `0x${'ab'.repeat(20)}`
const SAFE_TX = { to: A, value: '0', data: '0x', operation: 0 as const, safeTxGas: '0', baseGas: '0', gasPrice: '0', gasToken: A, refundReceiver: A, nonce: '0' }
export const CLIENT_METHODS: Record<string, { readonly route: string; readonly call: (c: CoffreClient) => Promise<unknown> }> = {
  'users.create': { route: 'POST /v1/users', call: (c) => c.users.create({ telegramUserId: 1 }) },
  'users.list': { route: 'GET /v1/users', call: (c) => c.users.list({ limit: 10 }) },
  'users.findByTelegramId': { route: 'GET /v1/users', call: (c) => c.users.findByTelegramId(1) },
  'users.get': { route: 'GET /v1/users/{id}', call: (c) => c.users.get(U) },
  'users.import': { route: 'POST /v1/users/import', call: (c) => c.users.import({ telegramUserId: 1, mnemonic: 'm' }) },
  'users.export': { route: 'POST /v1/users/{id}/export', call: (c) => c.users.export(U, { recipientPublicKey: 'k' }) },
  'users.createBackup': { route: 'POST /v1/users/{id}/backup', call: (c) => c.users.createBackup(U, { userShare: { recipientPublicKey: 'k' } }) },
  'users.restoreBackup': { route: 'POST /v1/users/{id}/backup/restore', call: (c) => c.users.restoreBackup(U, { verifyOnly: true }) },
  'guardians.add': { route: 'POST /v1/users/{id}/guardians', call: (c) => c.guardians.add(U, { publicKeys: [KEY, KEY] }) },
  'guardians.get': { route: 'GET /v1/users/{id}/guardians', call: (c) => c.guardians.get(U) },
  'guardians.remove': { route: 'DELETE /v1/users/{id}/guardians', call: (c) => c.guardians.remove(U) },
  'recovery.request': { route: 'POST /v1/users/{id}/recovery', call: (c) => c.recovery.request(U, { newTelegramUserId: 2 }) },
  'recovery.status': { route: 'GET /v1/users/{id}/recovery/{requestId}', call: (c) => c.recovery.status(U, P) },
  'recovery.approve': { route: 'POST /v1/users/{id}/recovery/{requestId}/approve', call: (c) => c.recovery.approve(U, P, ['0x00']) },
  'recovery.cancel': { route: 'POST /v1/users/{id}/recovery/{requestId}/cancel', call: (c) => c.recovery.cancel(U, P) },
  'recovery.complete': { route: 'POST /v1/users/{id}/recovery/{requestId}/complete', call: (c) => c.recovery.complete(U, P) },
  'safe.create': { route: 'POST /v1/users/{id}/safe', call: (c) => c.safe.create(U, { coSigners: [], threshold: 1 }) },
  'safe.propose': { route: 'POST /v1/users/{id}/safe/propose', call: (c) => c.safe.propose(U, { safe: A, chainId: 1, to: A, nonce: '0' }) },
  'safe.sign': { route: 'POST /v1/users/{id}/safe/sign', call: (c) => c.safe.sign(U, { safe: A, chainId: 1, safeTx: SAFE_TX }) },
  'safe.execute': { route: 'POST /v1/safe/execute', call: (c) => c.safe.execute({ safe: A, chainId: 1, safeTx: SAFE_TX, owners: [A], threshold: 1, signatures: ['0x00'] }) },
  'sign.message': { route: 'POST /v1/users/{id}/sign/message', call: (c) => c.sign.message(U, { chain: 'polygon', message: 'm' }) },
  'sign.typedData': { route: 'POST /v1/users/{id}/sign/typed-data', call: (c) => c.sign.typedData(U, { types: {}, primaryType: 'EIP712Domain' }) },
  'sign.evmTransaction': { route: 'POST /v1/users/{id}/sign/evm-transaction', call: (c) => c.sign.evmTransaction(U, { chainId: 1, nonce: 0, gas: 21000, maxFeePerGas: 1, maxPriorityFeePerGas: 1 }) },
  'sign.solanaTransaction': { route: 'POST /v1/users/{id}/sign/solana-transaction', call: (c) => c.sign.solanaTransaction(U, new Uint8Array(4)) },
  'derivedKeys.list': { route: 'GET /v1/users/{id}/derived-keys', call: (c) => c.derivedKeys.list(U, { count: 2 }) },
  'derivedKeys.belongs': { route: 'POST /v1/users/{id}/derived-keys/belongs', call: (c) => c.derivedKeys.belongs(U, { publicKey: KEY }) },
  'pairs.create': { route: 'POST /v1/pairs', call: (c) => c.pairs.create({ publicKey: KEY }) },
  'pairs.list': { route: 'GET /v1/pairs', call: (c) => c.pairs.list() },
  'pairs.get': { route: 'GET /v1/pairs/{uuid}', call: (c) => c.pairs.get(P) },
  'pairs.delete': { route: 'DELETE /v1/pairs/{uuid}', call: (c) => c.pairs.delete(P) },
  'pairs.addKeys': { route: 'POST /v1/pairs/{uuid}/keys', call: (c) => c.pairs.addKeys(P, [KEY]) },
  'pairs.removeKey': { route: 'DELETE /v1/pairs/{uuid}/keys/{publicKey}', call: (c) => c.pairs.removeKey(P, KEY) },
  'pairs.contains': { route: 'POST /v1/pairs/{uuid}/contains', call: (c) => c.pairs.contains(P, { publicKey: KEY }) },
  'polymarket.credentials.createOrDerive': { route: 'POST /v1/users/{id}/polymarket/credentials', call: (c) => c.polymarket.credentials.createOrDerive(U) },
  'polymarket.credentials.list': { route: 'GET /v1/users/{id}/polymarket/credentials', call: (c) => c.polymarket.credentials.list(U) },
  'polymarket.credentials.rotate': { route: 'POST /v1/users/{id}/polymarket/credentials/rotate', call: (c) => c.polymarket.credentials.rotate(U) },
  'polymarket.credentials.revoke': { route: 'DELETE /v1/users/{id}/polymarket/credentials/{key}', call: (c) => c.polymarket.credentials.revoke(U, 'api-key') },
  'polymarket.orders.place': { route: 'POST /v1/users/{id}/polymarket/orders', call: (c) => c.polymarket.orders.place(U, { tokenId: '1', side: 'BUY', price: 0.5, size: 1, tickSize: '0.01', negRisk: false }) },
  'polymarket.orders.get': { route: 'GET /v1/polymarket/orders/{hash}', call: (c) => c.polymarket.orders.get(HASH) },
  'polymarket.orders.list': { route: 'GET /v1/polymarket/orders', call: (c) => c.polymarket.orders.list({ status: 'sent' }) },
  'keys.list': { route: 'GET /v1/keys', call: (c) => c.keys.list() },
  'keys.rotateData': { route: 'POST /v1/keys/rotate-data', call: (c) => c.keys.rotateData() },
  'audit.verify': { route: 'GET /v1/audit/verify', call: (c) => c.audit.verify() },
  doctor: { route: 'GET /v1/doctor', call: (c) => c.doctor() },
  'policies.list': { route: 'GET /v1/policies', call: (c) => c.policies.list() },
  'policies.create': { route: 'POST /v1/policies', call: (c) => c.policies.create({ name: 'p1', document: { rules: [] } }) },
  'policies.get': { route: 'GET /v1/policies/{name}', call: (c) => c.policies.get('p1') },
  'policies.evaluate': { route: 'POST /v1/policies/evaluate', call: (c) => c.policies.evaluate({ policy: 'allow-all', request: { operation: 'users.create' } }) },
  'chain.balances': { route: 'GET /v1/users/{id}/balances', call: (c) => c.chain.balances(U) },
  'chain.withdrawals.create': { route: 'POST /v1/users/{id}/withdrawals', call: (c) => c.chain.withdrawals.create(U, { chain: 'polygon', asset: 'POL', amount: '1', to: `0x${'1'.repeat(40)}` }) },
  'chain.approvePolymarket': { route: 'POST /v1/users/{id}/polymarket/approvals', call: (c) => c.chain.approvePolymarket(U) },
  'chain.withdrawals.get': { route: 'GET /v1/withdrawals/{id}', call: (c) => c.chain.withdrawals.get(U) },
}

let operations: { route: string; pattern: RegExp }[]

before(async () => {
  const document = (await loadOpenApiDocument()) as { paths: Record<string, Record<string, unknown>> }
  operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ route: `${method.toUpperCase()} ${path}`, pattern: new RegExp(`^${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) })),
    )
  assert.ok(operations.length >= 25, 'the document lists the API')
})

/** A fetch that records the request and answers 200 with a body every method can read. */
function recordingClient() {
  const seen: string[] = []
  const client = createCoffreClient({
    baseUrl: 'http://coffre.test',
    token: 'cfr_x',
    retry: false,
    fetch: async (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`)
      return new Response(JSON.stringify({ users: [], orders: [], contains: false }), { status: 200, headers: { 'content-type': 'application/json', 'coffre-api-version': '1.0.0' } })
    },
  })
  return { client, seen }
}

test('every /v1 operation in /openapi.json has a client method', () => {
  const covered = new Set(Object.values(CLIENT_METHODS).map((m) => m.route))
  const missing = operations.map((o) => o.route).filter((route) => !covered.has(route))
  assert.deepEqual(missing, [], `routes without a method in src/client (add one, then list it in CLIENT_METHODS): ${missing.join(', ')}`)
})

test('each client method calls the operation it claims, and that operation exists', async () => {
  for (const [name, method] of Object.entries(CLIENT_METHODS)) {
    const { client, seen } = recordingClient()
    await method.call(client)
    assert.equal(seen.length, 1, `${name} makes one request`)
    const matching = operations.filter((o) => o.pattern.test(seen[0]!)).map((o) => o.route)
    assert.ok(matching.includes(method.route), `${name} called ${seen[0]}, which is not ${method.route} (matches: ${matching.join(', ') || 'no operation'})`)
  }
})
