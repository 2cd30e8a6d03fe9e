import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { approvalCall, missingTradingApprovals, requiredTradingApprovals } from '../../../src/chain/tx/tradingApprovals.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'

describe('Polymarket trading approvals on anvil', () => {
  let fx: PolygonFixture
  before(async () => {
    fx = await startPolygonFixture()
  })
  after(async () => fx?.stop())

  it('lists the six approvals, reads which are missing in one multicall, and each call grants one', async () => {
    const user = privateKeyToAccount(generatePrivateKey())
    await fx.test.setBalance({ address: user.address, value: parseEther('1') })
    const required = requiredTradingApprovals(fx.config.contracts)
    assert.equal(required.length, 6)
    assert.deepEqual((await missingTradingApprovals(fx.polygon, user.address)).missing, required)
    const wallet = fx.walletFor(user)
    for (const approval of [required[0]!, required[4]!]) {
      const call = approvalCall(approval)
      await wallet.sendTransaction({ to: call.to, data: call.data, value: call.value })
    }
    const { missing } = await missingTradingApprovals(fx.polygon, user.address)
    assert.deepEqual(missing, [required[1], required[2], required[3], required[5]])
    for (const approval of missing) {
      const call = approvalCall(approval)
      await wallet.sendTransaction({ to: call.to, data: call.data, value: call.value })
    }
    assert.deepEqual((await missingTradingApprovals(fx.polygon, user.address)).missing, [])
  })
})
