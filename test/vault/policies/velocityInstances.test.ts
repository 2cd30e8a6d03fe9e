/**
 * Velocity limits across instances: three vaults opened on one database (three pools, three
 * audit group writers — on PostgreSQL, truly concurrent transactions) take 300 concurrent signing
 * requests of 1 POL each under a 10 POL per hour limit: exactly 10 signatures come out, every other
 * request is COFFRE_POLICY_DENIED by the velocity rule, and the counter row holds exactly 10 POL.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parseEther } from 'viem'
import { createTestStore, ENGINES, type TestStore } from '../../support/engines.ts'
import { openVault, type Vault } from '../../../src/vault/openVault.ts'
import { principalOf } from '../../../src/vault/tokens/tokenService.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const ALLOWED = '0x2222222222222222222222222222222222222222'
const policy = {
  name: 'pocket-money',
  rules: [
    { id: 'to-allowed', action: 'allow', operation: 'sign.evm-transaction', conditions: [
      { type: 'evm-to', in: [ALLOWED] },
      { type: 'velocity', window: '1h', measure: 'amount', asset: 'native', limit: { value: '10', decimals: 18 } },
    ] },
    { id: 'msgs', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'velocity', window: '1m', measure: 'count', limit: 7 }] },
  ],
}

for (const engine of ENGINES) {
  describe(`velocity across 3 instances (${engine})`, () => {
    let store: TestStore
    const vaults: Vault[] = []
    const rootKey = new Uint8Array(randomBytes(32))
    before(async () => {
      store = await createTestStore(engine)
      for (let i = 0; i < 3; i++) vaults.push(await openVault({ store: store.config, rootKey: { kind: 'local', masterKey: rootKey }, mnemonicWords: 12 }))
    })
    after(async () => {
      for (const vault of vaults) await vault.close()
      await store.cleanup()
    })

    test('300 concurrent 1 POL transactions under a 10 POL limit: exactly 10 signed; 90 messages under a count of 7: exactly 7', async () => {
      const user = await vaults[0]!.users.create({ telegramUserId: 5151 })
      await vaults[0]!.policies.create({ name: 'pocket-money', document: policy })
      const token = await vaults[0]!.tokens.create({ name: 'bot', scopes: ['sign'], policy: 'pocket-money' })
      const options = { actor: 'http:bot', principal: principalOf(token) }
      const tx = (nonce: number) => ({ chainId: 137, to: ALLOWED, value: parseEther('1').toString(), nonce, gas: 21000, maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1000000000' })
      const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => vaults[i % 3]!.sign.evmTransaction({ id: user.id }, tx(i) as never, options)))
      const signed = results.filter((r) => r.status === 'fulfilled')
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      assert.equal(signed.length, 10)
      for (const r of refused) assert.deepEqual([r.reason.code, r.reason.details?.ruleId], ['COFFRE_POLICY_DENIED', 'to-allowed'])

      const messages = await Promise.allSettled(Array.from({ length: 90 }, (_, i) => vaults[i % 3]!.sign.message({ id: user.id }, { chain: 'polygon', message: `m${i}` }, options)))
      assert.equal(messages.filter((r) => r.status === 'fulfilled').length, 7)

      const db = contextOf(vaults[1]!).store.db
      const keyUses = await db.selectFrom('audit_log').select(['details']).where('action', '=', 'key.use').execute()
      assert.equal(keyUses.filter((row) => JSON.parse(row.details).rule === 'to-allowed').length, 10, 'one audited key use per signature')
      const denials = await db.selectFrom('audit_log').select(['details']).where('action', '=', 'policy.deny').execute()
      assert.equal(denials.filter((row) => JSON.parse(row.details).rule === 'to-allowed').length, 290, 'every refusal is audited with its rule')
    })
  })
}
