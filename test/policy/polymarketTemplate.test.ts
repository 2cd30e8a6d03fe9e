/**
 * The polymarket-trader template against what Polymarket's official client
 * (@polymarket/clob-client-v2) actually asks a wallet to sign: the ClobAuth typed data of
 * createL1Headers and the orders of its OrderBuilder (EOA, proxy and Safe makers, plain and
 * neg-risk exchanges, Polygon and Amoy), captured at the wallet's signTypedData. All are
 * allowed; the same orders with another maker, a foreign exchange, a bent struct or above the
 * notional limit are not.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as official from '@polymarket/clob-client-v2'
import { evaluatePolicy } from '../../src/policy/evaluatePolicy.ts'
import { loadPolicySource } from '../../src/policy/templates.ts'
import { proxyWalletAddress, safeWalletAddress } from '../../src/polymarket/walletAddresses.ts'
import { officialWallet, withPinnedClock } from '../polymarket/officialClient.ts'
import { ATTACKER, NOW, USER_EOA, USER_KEY, userFor } from './fixtures.ts'

type Captured = { domain: unknown; types: unknown; primaryType: unknown; message: unknown }

/** The official client's wallet, recording every typed-data request it signs (as JSON would carry it). */
function capturingWallet(chainId: number): { wallet: ReturnType<typeof officialWallet>; captured: Captured[] } {
  const wallet = officialWallet(USER_KEY, chainId)
  const captured: Captured[] = []
  const sign = wallet.signTypedData.bind(wallet)
  wallet.signTypedData = (async (args: Captured & { account?: unknown }) => {
    const { account: _account, ...typedData } = args
    captured.push(JSON.parse(JSON.stringify(typedData, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))))
    return sign(args as never)
  }) as typeof wallet.signTypedData
  return { wallet, captured }
}

const trader = loadPolicySource({ template: 'polymarket-trader', params: { maxNotionalPerOrder: '100' } })
const user = userFor(USER_EOA)
const judge = (typedData: unknown) => evaluatePolicy(trader, { operation: 'sign.typed-data', typedData }, { user, now: NOW })

async function officialOrder(chainId: number, signatureType: 0 | 1 | 2, negRisk: boolean, size = 100): Promise<Captured> {
  const { wallet, captured } = capturingWallet(chainId)
  const maker = signatureType === 1 ? proxyWalletAddress(USER_EOA, chainId) : signatureType === 2 ? safeWalletAddress(USER_EOA, chainId) : undefined
  const builder = new official.OrderBuilder(wallet as never, chainId, signatureType, maker)
  await withPinnedClock(NOW, 0.42, () => builder.buildOrder({ tokenID: '71321045679252212594626385532706912750332728571942532289631379312455583992563', price: 0.5, size, side: official.Side.BUY }, { tickSize: '0.01', negRisk }, 2))
  assert.equal(captured.length, 1)
  return captured[0]!
}

describe('polymarket-trader and the official client', () => {
  for (const chainId of [137, 80002]) {
    test(`ClobAuth headers' typed data on ${chainId} is allowed; for another address it is not`, async () => {
      const { wallet, captured } = capturingWallet(chainId)
      await official.createL1Headers(wallet as never, chainId, 0, Math.floor(NOW / 1000))
      assert.equal(captured.length, 1)
      assert.deepEqual([judge(captured[0]).decision, judge(captured[0]).ruleId], ['allow', 'clob-auth'])
      const other = structuredClone(captured[0]!) as { message: { address: string } }
      other.message.address = ATTACKER
      assert.equal(judge(other).decision, 'deny')
    })
  }

  const makers = [[0, 'EOA'], [1, 'proxy'], [2, 'Safe']] as const
  for (const chainId of [137, 80002]) {
    for (const [signatureType, name] of makers) {
      if (chainId === 80002 && signatureType === 1) continue // no proxy factory on Amoy
      for (const negRisk of [false, true]) {
        test(`an OrderBuilder order (${name} maker, ${negRisk ? 'neg-risk' : 'plain'} exchange, chain ${chainId}) is allowed`, async () => {
          const typedData = await officialOrder(chainId, signatureType, negRisk)
          const decision = judge(typedData)
          assert.deepEqual([decision.decision, decision.ruleId], ['allow', 'orders-typed-data'])
        })
      }
    }
  }

  test('the same order made by another address, on a foreign exchange, with a bent struct or above the limit is denied', async () => {
    const order = await officialOrder(137, 0, false)
    const tamper = (change: (o: { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]>; message: Record<string, unknown> }) => void) => {
      const copy = structuredClone(order) as never
      change(copy)
      return judge(copy).decision
    }
    assert.equal(tamper((o) => { o.message.maker = ATTACKER }), 'deny')
    assert.equal(tamper((o) => { o.message.signer = ATTACKER }), 'deny')
    assert.equal(tamper((o) => { o.domain.verifyingContract = ATTACKER }), 'deny')
    assert.equal(tamper((o) => { o.domain.chainId = 1 }), 'deny')
    assert.equal(tamper((o) => { o.types.Order = [...o.types.Order!].reverse() }), 'deny')
    assert.equal(tamper((o) => { o.message.makerAmount = '100000001' }), 'deny')
    assert.equal(tamper((o) => { o.message.makerAmount = '100000000' }), 'allow')
    assert.equal(judge(await officialOrder(137, 0, false, 201)).decision, 'deny')
  })

  test('the order route: the user as maker, proxy or Safe is allowed; another maker is not', () => {
    const route = (order: Record<string, unknown>) => evaluatePolicy(trader, { operation: 'polymarket.order', chainId: 137, order: { tokenId: '1', side: 'SELL', price: 0.4, size: 50, tickSize: '0.01', negRisk: true, ...order } as never }, { user, now: NOW })
    assert.equal(route({}).decision, 'allow')
    assert.equal(route({ signatureType: 1 }).decision, 'allow')
    assert.equal(route({ signatureType: 2 }).decision, 'allow')
    assert.equal(route({ signatureType: 2, maker: safeWalletAddress(USER_EOA, 137) }).decision, 'allow')
    assert.equal(route({ signatureType: 2, maker: ATTACKER }).decision, 'deny')
    assert.equal(route({ signatureType: 1, maker: ATTACKER }).decision, 'deny')
    assert.equal(route({ tickSize: '0.3' }).decision, 'deny')
  })
})
