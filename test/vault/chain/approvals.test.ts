/**
 * Polymarket approvals on anvil, both engines: a first POL deposit moves the user to `funded`,
 * the watcher then sends only the missing approvals (one already granted by hand is skipped),
 * each exactly once however often it is asked (a restart: a second vault on the same store), and
 * the user reaches `approved` with its event; POST /v1/users/{id}/polymarket/approvals reports it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseEther, type Address } from 'viem'
import { approvalCall, missingTradingApprovals, requiredTradingApprovals } from '../../../src/chain/tx/tradingApprovals.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { startPolygonFixture, type PolygonFixture } from '../../chain/polygonFixture.ts'
import { ENGINES } from '../../support/engines.ts'
import { startHarness, type Harness } from '../../http/httpHarness.ts'

for (const engine of ENGINES) {
  describe(`Polymarket approvals (${engine})`, () => {
    let polygon: PolygonFixture
    let h: Harness
    let owner: Address
    let userId: string

    before(async () => {
      polygon = await startPolygonFixture({ confirmations: 1 })
      h = await startHarness({}, { engine, config: { chain: { polygon: polygon.config }, webhooks: [{ url: 'http://127.0.0.1:9/bot', secret: new Uint8Array(32).fill(3) }] }, vaultOptions: { chainTuning: { pollMs: 0 } } })
      const user = (await h.test.vault.users.ensure({ telegramUserId: 901, username: null })).user
      owner = user.polygonAddress as Address
      userId = user.id
      await h.test.vault.chain.deposits.scan()
    })
    after(async () => {
      await h?.close()
      await polygon?.stop()
    })

    it('on first funding sends only the missing approvals, each once, and the user becomes approved', async () => {
      // One approval granted beforehand by another path: Coffre must not send it again.
      const required = requiredTradingApprovals(polygon.config.contracts)
      await polygon.test.setBalance({ address: owner, value: parseEther('0.2') })
      await polygon.test.impersonateAccount({ address: owner })
      const first = approvalCall(required[0]!)
      await polygon.test.sendUnsignedTransaction({ from: owner, to: first.to, data: first.data })
      await polygon.test.stopImpersonatingAccount({ address: owner })
      await polygon.wallet.sendTransaction({ to: owner, value: parseEther('1') })
      await polygon.test.mine({ blocks: 1 })
      const nonceBefore = await polygon.test.getTransactionCount({ address: owner })

      assert.equal((await h.test.vault.chain.deposits.scan()).polygon, 1)
      assert.equal((await h.test.vault.chain.onboarding({ id: userId })).stage, 'funded')
      // Nothing is mined until the end: the approvals stay in flight while Coffre is asked again.
      await polygon.test.setAutomine(false)
      assert.equal(await h.test.vault.chain.approvals.processFunded(), 1)
      const sent = await h.test.vault.chain.approvals.ensure({ id: userId })
      assert.equal(sent.pending.length, 5)
      // A restart in the middle: another vault on the same store asks again before anything is mined.
      const restarted = await openVault(h.test.config, { chainTuning: { pollMs: 0 } })
      try {
        const again = await restarted.chain.approvals.ensure({ id: userId })
        assert.equal(again.state, 'pending')
        assert.deepEqual(again.pending.map((p) => p.txHash), sent.pending.map((p) => p.txHash), 'the same five transactions')
      } finally {
        await restarted.close()
      }
      await polygon.test.setAutomine(true)
      for (let i = 0; i < 10 && (await missingTradingApprovals(polygon.polygon, owner)).missing.length > 0; i++) {
        await polygon.test.mine({ blocks: 1 })
        await h.test.vault.chain.withdrawals.processDue()
      }
      assert.deepEqual((await missingTradingApprovals(polygon.polygon, owner)).missing, [])
      assert.equal(await polygon.test.getTransactionCount({ address: owner }), nonceBefore + 5, 'five approvals, each sent once')
      await h.test.vault.chain.approvals.processFunded()
      assert.equal((await h.test.vault.chain.onboarding({ id: userId })).stage, 'approved')
      const stages = (await h.test.vault.chain.webhooks.list({ limit: 1000 })).filter((e) => e.type === 'onboarding.stage').map((e) => (e.data as { stage: string }).stage)
      assert.deepEqual(stages, ['funded', 'approved'])
      const reply = await h.app.inject({ method: 'POST', url: `/v1/users/${userId}/polymarket/approvals`, headers: h.auth('sign') })
      assert.equal(reply.statusCode, 202, reply.body)
      assert.deepEqual({ ...(reply.json() as object), blockNumber: undefined }, { userId, address: owner, blockNumber: undefined, state: 'approved', pending: [] })
      assert.equal(await polygon.test.getTransactionCount({ address: owner }), nonceBefore + 5, 'nothing more sent')
    })
  })
}
