/**
 * Policies over a real HTTP socket (buildApp + listen, fetch), on both engines: a leaked `sign`
 * token under polymarket-trader gets 403 COFFRE_POLICY_DENIED (with the rule id) and no signature
 * for 1,000 POL to 0x…dEaD (137 and 1), an unlimited USDC permit and a Solana transfer sent to
 * /sign/message; an expired token gets 401; the policy routes store versions and dry-run requests.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseEther } from 'viem'
import { ENGINES } from '../support/engines.ts'
import { startHarness, type Harness } from './httpHarness.ts'
import { ATTACKER, evmTx, MAX_UINT256, permitTypedData, USDC_E } from '../policy/fixtures.ts'
import { kitTransferMessage, SOLANA_ATTACKER, web3LegacyTransferMessage } from '../policy/solanaBuilders.ts'

for (const engine of ENGINES) {
  describe(`policies over HTTP (${engine})`, () => {
    let h: Harness
    let base: string
    let leaked: string
    let userId: string
    let polygon: string
    let solana: string
    before(async () => {
      h = await startHarness({}, { engine })
      base = await h.app.listen({ host: '127.0.0.1', port: 0 })
      leaked = (await h.test.vault.tokens.create({ name: 'leaked', scopes: ['sign'], policy: 'polymarket-trader' })).token
      const user = await h.test.vault.users.create({ telegramUserId: 31337 })
      userId = user.id
      polygon = user.polygonAddress
      solana = user.solanaAddress
    })
    after(async () => h.close())

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      return { status: response.status, json: (await response.json()) as Record<string, any> }
    }

    test('the issue-12 attacks get 403 COFFRE_POLICY_DENIED and no signature', async () => {
      for (const chainId of [137, 1]) {
        const { transaction } = evmTx({ chainId, to: ATTACKER, value: parseEther('1000') }) as { transaction: unknown }
        const reply = await call('POST', `/v1/users/${userId}/sign/evm-transaction`, leaked, { transaction })
        assert.equal(reply.status, 403)
        assert.deepEqual([reply.json.error.code, reply.json.error.ruleId], ['COFFRE_POLICY_DENIED', null])
        assert.equal(reply.json.serializedTransaction, undefined)
      }
      const { typedData } = permitTypedData({ token: USDC_E, owner: polygon, spender: ATTACKER, value: MAX_UINT256, deadline: BigInt(Math.floor(Date.now() / 1000) + 600) }) as { typedData: unknown }
      const permit = await call('POST', `/v1/users/${userId}/sign/typed-data`, leaked, { typedData })
      assert.deepEqual([permit.status, permit.json.error?.code], [403, 'COFFRE_POLICY_DENIED'])
      for (const bytes of [kitTransferMessage(solana, SOLANA_ATTACKER, 10n ** 9n, 0), web3LegacyTransferMessage(solana, SOLANA_ATTACKER, 10 ** 9)]) {
        const reply = await call('POST', `/v1/users/${userId}/sign/message`, h.tokens.sign, { chain: 'solana', message: Buffer.from(bytes).toString('base64'), encoding: 'base64' })
        assert.deepEqual([reply.status, reply.json.error?.code, reply.json.error?.ruleId], [403, 'COFFRE_POLICY_DENIED', 'coffre:solana-message-is-transaction'])
      }
    })

    test('an expired token is 401', async () => {
      const short = await h.test.vault.tokens.create({ name: 'short', scopes: ['users:read'], expiresIn: '1s' })
      assert.equal((await call('GET', `/v1/users/${userId}`, short.token)).status, 200)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      assert.equal((await call('GET', `/v1/users/${userId}`, short.token)).status, 401)
    })

    test('policy routes: create versions, list, show, evaluate; bad documents are 400 COFFRE_POLICY_INVALID', async () => {
      const admin = h.tokens.admin
      const doc = { rules: [{ id: 'hello', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'message', matches: '^hello' }] }] }
      const v1 = await call('POST', '/v1/policies', admin, { name: 'greeter', document: doc })
      const v2 = await call('POST', '/v1/policies', admin, { name: 'greeter', document: doc })
      assert.deepEqual([v1.status, v1.json.version, v2.json.version], [201, 1, 2])
      assert.deepEqual((await call('GET', '/v1/policies/greeter', admin)).json.versions, [1, 2])
      assert.ok((await call('GET', '/v1/policies', admin)).json.policies.some((p: { name: string }) => p.name === 'greeter'))
      assert.equal((await call('GET', '/v1/policies/nope', admin)).status, 404)
      const bad = await call('POST', '/v1/policies', admin, { name: 'bad', document: { rules: [{ id: 'x', action: 'maybe', operation: 'sign.evm-message' }] } })
      assert.deepEqual([bad.status, bad.json.error.code], [400, 'COFFRE_POLICY_INVALID'])
      const dry = await call('POST', '/v1/policies/evaluate', admin, { policy: 'greeter', request: { operation: 'sign.evm-message', message: 'hello there' } })
      assert.deepEqual([dry.status, dry.json.decision, dry.json.ruleId, dry.json.policyVersion], [200, 'allow', 'hello', 2])
      const drySol = await call('POST', '/v1/policies/evaluate', admin, { policy: 'allow-all', request: { operation: 'sign.solana-message', encoding: 'base64', message: Buffer.from(web3LegacyTransferMessage(solana, SOLANA_ATTACKER, 1)).toString('base64') } })
      assert.deepEqual([drySol.json.decision, drySol.json.ruleId], ['deny', 'coffre:solana-message-is-transaction'])
      assert.equal((await call('GET', '/v1/policies', leaked)).status, 403, 'policy routes need admin')
    })
  })
}
