/**
 * Policy evaluation on the signing hot path: median µs per evaluatePolicy call under the
 * polymarket-trader template (with per-order and daily notional limits) for a V2 order as typed
 * data (what the official client signs), the same order through the order route, an ERC-20
 * transfer (denied) and a pUSD approval to the exchange (allowed). Peer: the EIP-712 digest of
 * the same order (hashTypedDataFields, which every typed-data signature computes anyway),
 * measured in the same run; ratio = digest time / policy time. Goal: ≤ 10 µs per evaluation.
 *
 *   npx tsx bench/policy.ts [--quick]
 */
import { pathToFileURL } from 'node:url'
import { encodeFunctionData, erc20Abi, maxUint256 } from 'viem'
import { hashTypedDataFields } from '../src/chain/evm/typedDataHash.ts'
import { evaluatePolicy } from '../src/policy/evaluatePolicy.ts'
import type { PolicyRequest } from '../src/policy/request.ts'
import { loadPolicySource } from '../src/policy/templates.ts'
import { orderV2TypedData, type OrderV2 } from '../src/polymarket/orderV2.ts'
import { proxyWalletAddress, safeWalletAddress } from '../src/polymarket/walletAddresses.ts'
import { median, type BenchFigure } from './figures.ts'

const EOA = '0x1111111111111111111111111111111111111111'
const EXCHANGE = '0xE111180000d2663C0091e4f400237545B87B996B'
const PUSD = '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB'

const order: OrderV2 = {
  salt: '479249096354', maker: EOA, signer: EOA, tokenId: '71321045679252212594626385532706912750332728571942532289631379312455583992563',
  makerAmount: '50000000', takerAmount: '100000000', side: 'BUY', signatureType: 0, timestamp: '1710000000000',
  metadata: `0x${'00'.repeat(32)}`, builder: `0x${'00'.repeat(32)}`, expiration: '0',
}
/** As JSON carries it to the vault (integers as strings). */
const orderTypedData = JSON.parse(JSON.stringify(orderV2TypedData(order, 137, EXCHANGE), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))

const tx = (data: `0x${string}`): PolicyRequest => ({ operation: 'sign.evm-transaction', transaction: { chainId: 137, to: PUSD, value: '0', data, nonce: 1, gas: 60000, maxFeePerGas: '30000000000', maxPriorityFeePerGas: '30000000000' } })

/** µs per call of fn, median of `rounds` rounds of `n` calls. */
function microsPerCall(rounds: number, n: number, fn: () => unknown): number {
  for (let i = 0; i < n; i++) fn()
  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < n; i++) fn()
    samples.push(((performance.now() - start) * 1000) / n)
  }
  return median(samples)
}

export function runPolicyBench(options: { quick?: boolean } = {}): BenchFigure[] {
  const rounds = options.quick === true ? 5 : 15
  const n = options.quick === true ? 2_000 : 10_000
  const policy = loadPolicySource({ template: 'polymarket-trader', params: { maxNotionalPerOrder: '100', maxNotionalPerDay: '500' } })
  const user = { id: 'bench-user', polygonAddress: EOA, proxyWallet: proxyWalletAddress(EOA, 137), safeWallet: safeWalletAddress(EOA, 137) }
  const now = Date.now()
  const cases: [string, PolicyRequest, string][] = [
    ['V2 order as typed data', { operation: 'sign.typed-data', typedData: orderTypedData }, 'allow'],
    ['V2 order through the order route', { operation: 'polymarket.order', chainId: 137, order: { tokenId: order.tokenId, side: 'BUY', price: 0.5, size: 100, tickSize: '0.01', negRisk: false } }, 'allow'],
    ['ERC-20 transfer', tx(encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: ['0x000000000000000000000000000000000000dEaD', 1_000_000n] })), 'deny'],
    ['pUSD approve to the exchange', tx(encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [EXCHANGE, maxUint256] })), 'allow'],
  ]
  const figures: BenchFigure[] = []
  const digest = microsPerCall(rounds, n, () => hashTypedDataFields(orderTypedData))
  for (const [name, request, expected] of cases) {
    const decision = evaluatePolicy(policy, request, { user, now })
    if (decision.decision !== expected) throw new Error(`bench case "${name}" decided ${decision.decision} (${decision.reason}), expected ${expected}`)
    const us = microsPerCall(rounds, n, () => evaluatePolicy(policy, request, { user, now }))
    figures.push({ name: `polymarket-trader: ${name} (${expected})`, value: Number(us.toFixed(2)), unit: 'µs/eval', baseline: 'EIP-712 digest of the order', ratio: digest / us, target: '≤ 10 µs' })
  }
  figures.push({ name: 'peer: EIP-712 digest of the same order (hashTypedDataFields)', value: Number(digest.toFixed(2)), unit: 'µs/op' })
  return figures
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { formatFigures } = await import('./figures.ts')
  process.stdout.write(`${formatFigures(runPolicyBench({ quick: process.argv.includes('--quick') }))}\n`)
}
