/**
 * Every attack of issue 12, as a request a leaked `sign` token could send, judged by the
 * polymarket-trader template and by the custom policies an operator would write: none may be
 * allowed. The requests are built with the real encoders (viem, @solana/kit, web3.js 1).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { getTransferSolInstruction } from '@solana-program/system'
import { address } from '@solana/kit'
import { parseEther, parseUnits } from 'viem'
import { evaluatePolicy, SOLANA_MESSAGE_GUARD_RULE, type PolicyDecision } from '../../src/policy/evaluatePolicy.ts'
import { loadPolicy } from '../../src/policy/compilePolicy.ts'
import { loadPolicySource } from '../../src/policy/templates.ts'
import type { PolicyRequest } from '../../src/policy/request.ts'
import { ALLOWED, approveData, ATTACKER, evmTx, MAX_UINT256, NEG_RISK_ADAPTER, NOW, permitTypedData, PUSD, transferData, USDC_E, USER_EOA, userFor } from './fixtures.ts'
import { kitTransaction, kitTransferMessage, SOLANA_ATTACKER, SOLANA_USER, web3LegacyTransferMessage, web3V0TransferMessage } from './solanaBuilders.ts'

const user = userFor(USER_EOA, { solanaAddress: SOLANA_USER })
const trader = loadPolicySource({ template: 'polymarket-trader', params: { maxNotionalPerOrder: '100', maxNotionalPerDay: '500' } })
const allowAll = loadPolicySource({ template: 'allow-all' })
const decide = (policy: ReturnType<typeof loadPolicy>, request: PolicyRequest): PolicyDecision => evaluatePolicy(policy, request, { user, now: NOW })

const drainPol = (chainId: number) => evmTx({ chainId, to: ATTACKER, value: parseEther('1000') })
const unlimitedPermit = permitTypedData({ token: USDC_E, owner: USER_EOA, spender: ATTACKER, value: MAX_UINT256, deadline: BigInt(NOW / 1000 + 3600) })
const solanaMessages = {
  'kit legacy': kitTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1_000_000_000n, 'legacy'),
  'kit v0': kitTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1_000_000_000n, 0),
  'web3.js legacy': web3LegacyTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1_000_000_000),
  'web3.js v0': web3V0TransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1_000_000_000),
}

describe('under polymarket-trader', () => {
  for (const chainId of [137, 1]) {
    test(`1,000 POL/ETH to 0x…dEaD on chain ${chainId} is denied (no rule allows it)`, () => {
      const decision = decide(trader, drainPol(chainId))
      assert.equal(decision.decision, 'deny')
      assert.equal(decision.ruleId, null)
    })
  }

  test('an unlimited USDC permit to an attacker spender is denied', () => {
    assert.equal(decide(trader, unlimitedPermit).decision, 'deny')
  })

  test('a pUSD transfer, or an approval to anyone but the exchanges, is denied; the exchange approvals are allowed', () => {
    assert.equal(decide(trader, evmTx({ chainId: 137, to: PUSD, data: transferData(ATTACKER, parseUnits('500', 6)) })).decision, 'deny')
    assert.equal(decide(trader, evmTx({ chainId: 137, to: PUSD, data: approveData(ATTACKER, MAX_UINT256) })).decision, 'deny')
    assert.equal(decide(trader, evmTx({ chainId: 137, to: USDC_E, data: approveData(NEG_RISK_ADAPTER, MAX_UINT256) })).decision, 'deny')
    assert.equal(decide(trader, evmTx({ chainId: 137, to: PUSD, data: approveData(NEG_RISK_ADAPTER, MAX_UINT256) })).decision, 'allow')
    assert.equal(decide(trader, evmTx({ chainId: 137, to: PUSD, value: 1n, data: approveData(NEG_RISK_ADAPTER, MAX_UINT256) })).decision, 'deny')
  })

  for (const [name, bytes] of Object.entries(solanaMessages)) {
    test(`a Solana transfer (${name}) sent as a message is refused`, () => {
      const decision = decide(trader, { operation: 'sign.solana-message', message: bytes })
      assert.deepEqual([decision.decision, decision.ruleId], ['deny', SOLANA_MESSAGE_GUARD_RULE])
    })
  }

  test('an order above the per-order notional is denied, and so is one over the daily budget', () => {
    const order = (size: number) => ({ operation: 'polymarket.order', chainId: 137, order: { tokenId: '1', side: 'BUY', price: 0.5, size, tickSize: '0.01', negRisk: false } }) as const
    assert.equal(decide(trader, order(200)).decision, 'allow')
    assert.equal(decide(trader, order(201)).decision, 'deny')
    const allowed = decide(trader, order(200))
    assert.equal(allowed.decision, 'allow')
    const [charge] = allowed.charges
    assert.ok(charge !== undefined && charge.amount === 100_000000 && charge.limit === 500_000000)
    const spent = new Map([[charge.key, 450_000000]])
    assert.deepEqual(evaluatePolicy(trader, order(200), { user, now: NOW, velocityTotals: spent }), { decision: 'deny', ruleId: 'orders', reason: 'velocity limit exceeded', charges: [] })
  })
})

describe('under allow-all', () => {
  test('a Solana transaction message is still refused; ordinary text is signed', () => {
    for (const bytes of Object.values(solanaMessages)) assert.equal(decide(allowAll, { operation: 'sign.solana-message', message: bytes }).decision, 'deny')
    assert.equal(decide(allowAll, { operation: 'sign.solana-message', message: 'Sign in to example.com\nNonce: 42' }).decision, 'allow')
    assert.equal(decide(allowAll, drainPol(1)).decision, 'allow')
  })
})

describe('under custom policies', () => {
  const guarded = loadPolicy({
    name: 'guarded',
    rules: [
      { id: 'no-dead', action: 'deny', operation: 'sign.evm-transaction', conditions: [{ type: 'evm-to', in: [ATTACKER] }] },
      { id: 'mainnet-off', action: 'deny', operation: 'sign.evm-transaction', conditions: [{ type: 'chain-id', notIn: [137] }] },
      { id: 'small-native', action: 'allow', operation: 'sign.evm-transaction', conditions: [{ type: 'selector', in: ['0x'] }, { type: 'native-value', lte: { value: '10', decimals: 18 } }] },
      { id: 'allowlisted-tokens', action: 'allow', operation: 'sign.evm-transaction', conditions: [{ type: 'erc20', functions: ['transfer'], recipient: { in: ['$user.withdrawalAllowlist'] } }] },
      { id: 'no-unlimited-permits', action: 'deny', operation: 'sign.typed-data', conditions: [{ type: 'permit', unlimited: true }] },
      { id: 'permits-to-exchange', action: 'allow', operation: 'sign.typed-data', conditions: [{ type: 'permit', spender: { in: ['0xE111180000d2663C0091e4f400237545B87B996B'] }, deadline: { maxSecondsFromNow: 3600 } }] },
      { id: 'sol-to-allowlist', action: 'allow', operation: 'sign.solana-transaction', conditions: [{ type: 'solana-fee-payer', eq: '$user.solanaAddress' }, { type: 'solana-program', in: ['11111111111111111111111111111111'] }, { type: 'solana-transfer', destination: { in: ['$user.withdrawalAllowlist'] } }] },
      { id: 'login-messages', action: 'allow', operation: 'sign.solana-message', conditions: [{ type: 'message', matches: '^Sign in to [a-z.]+\\nNonce: [0-9]+$' }] },
    ],
  })

  test('1,000 POL to 0x…dEaD on 137 is denied by the deny rule; on chain 1 by the chain rule', () => {
    assert.deepEqual(pick(decide(guarded, drainPol(137))), ['deny', 'no-dead'])
    assert.deepEqual(pick(decide(guarded, evmTx({ chainId: 1, to: ALLOWED, value: 1n }))), ['deny', 'mainnet-off'])
    assert.deepEqual(pick(decide(guarded, evmTx({ chainId: 137, to: ALLOWED, value: parseEther('1000') }))), ['deny', null])
    assert.deepEqual(pick(decide(guarded, evmTx({ chainId: 137, to: ALLOWED, value: parseEther('10') }))), ['allow', 'small-native'])
  })

  test('an unlimited permit is denied even to an allowed spender; a bounded, short-lived one is allowed', () => {
    assert.deepEqual(pick(decide(guarded, unlimitedPermit)), ['deny', 'no-unlimited-permits'])
    assert.deepEqual(pick(decide(guarded, permitTypedData({ token: USDC_E, owner: USER_EOA, spender: '0xE111180000d2663C0091e4f400237545B87B996B', value: MAX_UINT256, deadline: BigInt(NOW / 1000 + 60) }))), ['deny', 'no-unlimited-permits'])
    assert.deepEqual(pick(decide(guarded, permitTypedData({ token: USDC_E, owner: USER_EOA, spender: '0xE111180000d2663C0091e4f400237545B87B996B', value: 5n, deadline: BigInt(NOW / 1000 + 60) }))), ['allow', 'permits-to-exchange'])
    assert.deepEqual(pick(decide(guarded, permitTypedData({ token: USDC_E, owner: USER_EOA, spender: '0xE111180000d2663C0091e4f400237545B87B996B', value: 5n, deadline: BigInt(NOW / 1000 + 7200) }))), ['deny', null])
  })

  test('a token transfer to the allowlist passes, to the attacker it does not; malformed transfer calldata is denied fail-closed', () => {
    assert.deepEqual(pick(decide(guarded, evmTx({ chainId: 137, to: PUSD, data: transferData(ALLOWED, 1n) }))), ['allow', 'allowlisted-tokens'])
    assert.deepEqual(pick(decide(guarded, evmTx({ chainId: 137, to: PUSD, data: transferData(ATTACKER, 1n) }))), ['deny', null])
    const truncated = transferData(ALLOWED, 1n).slice(0, 60) as `0x${string}`
    const decision = decide(guarded, evmTx({ chainId: 137, to: PUSD, data: truncated }))
    assert.equal(decision.decision, 'deny')
    assert.equal(decision.ruleId, 'allowlisted-tokens')
    assert.match(decision.reason, /cannot decode/)
  })

  test('a Solana transfer as a message is refused; as a transaction it goes only to the allowlist', () => {
    for (const bytes of Object.values(solanaMessages)) assert.deepEqual(pick(decide(guarded, { operation: 'sign.solana-message', message: bytes })), ['deny', SOLANA_MESSAGE_GUARD_RULE])
    assert.deepEqual(pick(decide(guarded, { operation: 'sign.solana-message', message: 'Sign in to example.com\nNonce: 7' })), ['allow', 'login-messages'])
    const allowlisted = userFor(USER_EOA, { solanaAddress: SOLANA_USER, withdrawalAllowlist: [SOLANA_ATTACKER.replace('9x', '8x')] })
    const toAttacker = kitTransaction(SOLANA_USER, (signer) => [getTransferSolInstruction({ source: signer, destination: address(SOLANA_ATTACKER), amount: 5n })])
    assert.equal(evaluatePolicy(guarded, { operation: 'sign.solana-transaction', transaction: toAttacker }, { user: allowlisted, now: NOW }).decision, 'deny')
    const withAttacker = userFor(USER_EOA, { solanaAddress: SOLANA_USER, withdrawalAllowlist: [SOLANA_ATTACKER] })
    assert.deepEqual(pick(evaluatePolicy(guarded, { operation: 'sign.solana-transaction', transaction: toAttacker }, { user: withAttacker, now: NOW })), ['allow', 'sol-to-allowlist'])
    const otherPayer = kitTransaction(SOLANA_ATTACKER, (signer) => [getTransferSolInstruction({ source: signer, destination: address(SOLANA_ATTACKER), amount: 5n })])
    assert.equal(evaluatePolicy(guarded, { operation: 'sign.solana-transaction', transaction: otherPayer }, { user: withAttacker, now: NOW }).decision, 'deny')
    assert.equal(evaluatePolicy(guarded, { operation: 'sign.solana-transaction', transaction: new Uint8Array([1, 2, 3]) }, { user: withAttacker, now: NOW }).decision, 'deny')
  })
})

function pick(decision: PolicyDecision): [string, string | null] {
  return [decision.decision, decision.ruleId]
}
