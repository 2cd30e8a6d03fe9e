/**
 * Policy enforcement through a real vault, on both engines: the issue-12 attacks sent with a
 * leaked token's principal get no signature (COFFRE_POLICY_DENIED naming the rule, audited as
 * policy.deny, no key.use), Solana transaction bytes are refused as messages whatever the caller,
 * token terms (policy required, expiry), versioned policies, and doctor's warning about tokens
 * without a policy.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseEther } from 'viem'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { principalOf } from '../../../src/vault/tokens/tokenService.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { ATTACKER, evmTx, MAX_UINT256, permitTypedData, USDC_E } from '../../policy/fixtures.ts'
import { kitTransferMessage, SOLANA_ATTACKER, web3LegacyTransferMessage, web3V0TransferMessage } from '../../policy/solanaBuilders.ts'

type Coded = { code?: string; message?: string; details?: { ruleId?: string | null } }
const deniedBy = (ruleId: string | null) => (error: Coded) => error.code === 'COFFRE_POLICY_DENIED' && error.details?.ruleId === ruleId

for (const engine of ENGINES) {
  describe(`policy enforcement (${engine})`, () => {
    let t: TestVault
    let userId: string
    let polygon: string
    let solana: string
    before(async () => {
      t = await openTestVault(engine)
      const user = await t.vault.users.create({ telegramUserId: 4242, username: 'bot-user' })
      userId = user.id
      polygon = user.polygonAddress
      solana = user.solanaAddress
    })
    after(async () => t.cleanup())

    const actions = async () => {
      const rows = await contextOf(t.vault).store.db.selectFrom('audit_log').select(['action', 'details']).orderBy('seq', 'desc').execute()
      return rows.map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }))
    }

    test('a sign token needs a policy; the refusal names --policy allow-all; unknown policies are refused', async () => {
      await assert.rejects(t.vault.tokens.create({ name: 'bot', scopes: ['sign'] }), (e: Coded) => e.code === 'COFFRE_INVALID_INPUT' && /--policy allow-all/.test(e.message ?? ''))
      await assert.rejects(t.vault.tokens.create({ name: 'bot', scopes: ['export'] }), (e: Coded) => e.code === 'COFFRE_INVALID_INPUT')
      await assert.rejects(t.vault.tokens.create({ name: 'bot', scopes: ['admin'] }), (e: Coded) => e.code === 'COFFRE_INVALID_INPUT')
      await assert.rejects(t.vault.tokens.create({ name: 'bot', scopes: ['sign'], policy: 'no-such-policy' }), (e: Coded) => e.code === 'COFFRE_NOT_FOUND')
      const reader = await t.vault.tokens.create({ name: 'reader', scopes: ['users:read'] })
      assert.equal(reader.policy, null)
      const created = await t.vault.tokens.create({ name: 'bot', scopes: ['sign'], policy: 'polymarket-trader', namespace: 'desk-a', expiresIn: '30d' })
      assert.equal(created.policy, 'polymarket-trader')
      assert.equal(created.namespace, 'desk-a')
      const days = (Date.parse(created.expiresAt!) - Date.parse(created.createdAt)) / 86_400_000
      assert.equal(days, 30)
      const listed = (await t.vault.tokens.list()).find((tok) => tok.id === created.id)
      assert.deepEqual([listed?.policy, listed?.namespace, listed?.expiresAt], ['polymarket-trader', 'desk-a', created.expiresAt])
      const defaulted = await t.vault.tokens.create({ name: 'default-life', scopes: ['users:read'] })
      assert.ok(defaulted.expiresAt !== null && Date.parse(defaulted.expiresAt) - Date.now() <= 90 * 86_400_000, 'new tokens expire by default')
    })

    test('an expired token no longer authenticates', async () => {
      const token = await t.vault.tokens.create({ name: 'short', scopes: ['users:read'], expiresIn: '1s' })
      assert.notEqual(await t.vault.tokens.authenticate(token.token), null)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      assert.equal(await t.vault.tokens.authenticate(token.token), null)
    })

    test('under polymarket-trader, 1,000 POL to 0x…dEaD (137 and 1) and an unlimited USDC permit get no signature; denials are audited', async () => {
      const token = await t.vault.tokens.create({ name: 'leaked', scopes: ['sign'], policy: 'polymarket-trader' })
      const options = { actor: 'http:leaked', principal: principalOf(token) }
      for (const chainId of [137, 1]) {
        const request = evmTx({ chainId, to: ATTACKER, value: parseEther('1000') })
        assert.equal(request.operation, 'sign.evm-transaction')
        await assert.rejects(t.vault.sign.evmTransaction({ id: userId }, (request as unknown as { transaction: never }).transaction, options), deniedBy(null))
      }
      const permit = permitTypedData({ token: USDC_E, owner: polygon, spender: ATTACKER, value: MAX_UINT256, deadline: BigInt(Math.floor(Date.now() / 1000) + 3600) })
      await assert.rejects(t.vault.sign.typedData({ id: userId }, (permit as unknown as { typedData: never }).typedData, options), (e: Coded) => e.code === 'COFFRE_POLICY_DENIED')
      await assert.rejects(t.vault.sign.message({ id: userId }, { chain: 'polygon', message: 'anything' }, options), (e: Coded) => e.code === 'COFFRE_POLICY_DENIED')
      const events = await actions()
      const denials = events.filter((e) => e.action === 'policy.deny' && e.details.operation !== undefined)
      assert.ok(denials.length >= 4)
      assert.ok(denials.some((e) => e.details.operation === 'sign.evm-transaction'))
      assert.ok(!events.some((e) => e.action === 'key.use' && e.details.rule !== undefined && e.details.policy === 'polymarket-trader'), 'no key was used under the trader policy')
      // The same transaction under allow-all is signed (the gate, not the signer, refused it), and its key use names the rule.
      const open = await t.vault.tokens.create({ name: 'internal', scopes: ['sign'], policy: 'allow-all' })
      const signed = await t.vault.sign.evmTransaction({ id: userId }, (evmTx({ chainId: 137, to: ATTACKER, value: 1n }) as unknown as { transaction: never }).transaction, { actor: 'http:internal', principal: principalOf(open) })
      assert.match(signed.serializedTransaction, /^0x02/)
      const last = (await actions()).find((e) => e.action === 'key.use')
      assert.deepEqual([last?.details.policy, last?.details.rule], ['allow-all', 'allow-all'])
    })

    test('Solana transfer messages (kit legacy/v0, web3.js legacy/v0) are refused by sign.message even for the library caller', async () => {
      const messages = [
        kitTransferMessage(solana, SOLANA_ATTACKER, 1_000_000_000n, 'legacy'),
        kitTransferMessage(solana, SOLANA_ATTACKER, 1_000_000_000n, 0),
        web3LegacyTransferMessage(solana, SOLANA_ATTACKER, 1_000_000_000),
        web3V0TransferMessage(solana, SOLANA_ATTACKER, 1_000_000_000),
      ]
      for (const message of messages) {
        await assert.rejects(t.vault.sign.message({ id: userId }, { chain: 'solana', message }), deniedBy('coffre:solana-message-is-transaction'))
      }
      const ok = await t.vault.sign.message({ id: userId }, { chain: 'solana', message: 'Sign in to example.com\nNonce: 1' })
      assert.equal(ok.address, solana)
    })

    test('policies are versioned, immutable and audited; template names are reserved; bad documents are typed errors', async () => {
      const doc = { name: 'ignored', rules: [{ id: 'msgs', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'message', matches: '^hello' }] }] }
      const v1 = await t.vault.policies.create({ name: 'greeter', document: doc })
      const v2 = await t.vault.policies.create({ name: 'greeter', document: { ...doc, rules: [{ ...doc.rules[0], conditions: [{ type: 'message', matches: '^bye' }] }] } })
      assert.deepEqual([v1.version, v2.version], [1, 2])
      const shown = await t.vault.policies.show('greeter')
      assert.deepEqual([shown.version, shown.versions], [2, [1, 2]])
      assert.ok((await t.vault.policies.list()).some((p) => p.name === 'greeter' && p.version === 2))
      await assert.rejects(t.vault.policies.create({ name: 'allow-all', document: doc }), (e: Coded) => e.code === 'COFFRE_INVALID_INPUT')
      await assert.rejects(t.vault.policies.create({ name: 'broken', document: { rules: [{ id: 'x', action: 'allow', operation: 'nope' }] } }), (e: Coded) => e.code === 'COFFRE_POLICY_INVALID')
      await assert.rejects(t.vault.policies.show('broken'), (e: Coded) => e.code === 'COFFRE_NOT_FOUND')
      assert.equal((await actions()).filter((e) => e.action === 'policy.create').length, 2)
      // The token follows the latest version.
      const token = await t.vault.tokens.create({ name: 'greeter-bot', scopes: ['sign'], policy: 'greeter' })
      const options = { principal: principalOf(token) }
      await assert.rejects(t.vault.sign.message({ id: userId }, { chain: 'polygon', message: 'hello' }, options), deniedBy(null))
      assert.ok((await t.vault.sign.message({ id: userId }, { chain: 'polygon', message: 'bye now' }, options)).signature.startsWith('0x'))
      const dry = await t.vault.policies.evaluate({ policy: 'greeter', request: { operation: 'sign.evm-message', message: 'bye' } })
      assert.deepEqual([dry.decision, dry.ruleId, dry.policyVersion], ['allow', 'msgs', 2])
      const dryDoc = await t.vault.policies.evaluate({ document: { template: 'polymarket-trader' }, request: { operation: 'sign.solana-message', message: Buffer.from(web3LegacyTransferMessage(solana, SOLANA_ATTACKER, 5)).toString('base64'), encoding: 'base64' } })
      assert.deepEqual([dryDoc.decision, dryDoc.ruleId], ['deny', 'coffre:solana-message-is-transaction'])
    })

    test('users.create, export and derive are gated too', async () => {
      const policy = await t.vault.policies.create({ name: 'creator', document: { name: 'creator', rules: [{ id: 'create', action: 'allow', operation: 'users.create' }] } })
      assert.equal(policy.version, 1)
      const token = await t.vault.tokens.create({ name: 'creator-bot', scopes: ['users:write'], policy: 'creator' })
      const options = { principal: principalOf(token) }
      assert.ok((await t.vault.users.create({ telegramUserId: 777 }, options)).id)
      await assert.rejects(t.vault.users.export({ id: userId }, options), deniedBy(null))
      await assert.rejects(t.vault.derive.exportChild({ id: userId }, 1, options), deniedBy(null))
      await assert.rejects(t.vault.pairs.create({ label: 'p', publicKey: '02' + '11'.repeat(32) }, options), (e: Coded) => e.code === 'COFFRE_POLICY_DENIED' || e.code === 'COFFRE_INVALID_INPUT')
    })

    test('doctor warns about each token that has no policy, and stays ok', async () => {
      const report = await t.vault.doctor({ secrets: false })
      const check = report.checks.find((c) => c.name === 'token-policies')
      assert.ok(check?.ok)
      assert.ok(check?.warnings?.some((w) => w.includes('"reader"') && w.includes('allow-all')))
    })
  })
}
