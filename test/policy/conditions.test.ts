/** Conditions and ranking not covered by the attack tests: chain operations, time windows, field paths, Permit2, approvals. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPolicy } from '../../src/policy/compilePolicy.ts'
import { evaluatePolicy } from '../../src/policy/evaluatePolicy.ts'
import type { PolicyRequest } from '../../src/policy/request.ts'
import { loadPolicySource } from '../../src/policy/templates.ts'
import { ALLOWED, ATTACKER, NOW, PUSD, userFor } from './fixtures.ts'

const user = userFor('0x1111111111111111111111111111111111111111')
const run = (policy: ReturnType<typeof loadPolicy>, request: PolicyRequest, now = NOW) => evaluatePolicy(policy, request, { user, now })

describe('chain operations under withdrawals', () => {
  const policy = loadPolicySource({ template: 'withdrawals', params: { dailyLimitPol: '5', dailyLimitUsd: '100' } })
  const withdraw = (to: string, asset: string, amount: string): PolicyRequest => ({ operation: 'chain.withdrawal', withdrawal: { chain: 'evm', chainId: 137, asset, to, amount } })

  test('only to the allowlist, only listed assets, within the daily limit', () => {
    const ok = run(policy, withdraw(ALLOWED, PUSD, '100000000'))
    assert.equal(ok.decision, 'allow')
    assert.equal(ok.charges.length, 1)
    assert.equal(ok.charges[0]!.key, `withdrawals|user-1|evm:137:${PUSD.toLowerCase()}|86400s`)
    assert.equal(run(policy, withdraw(ALLOWED, PUSD, '100000001')).decision, 'deny')
    assert.equal(run(policy, withdraw(ATTACKER, PUSD, '1')).decision, 'deny')
    assert.equal(run(policy, withdraw(ALLOWED, '0x7ceB23fD6bC0adD59E62ac25578270cFf1b9f619', '1')).decision, 'deny')
    assert.equal(run(policy, withdraw(ALLOWED, 'native', '5000000000000000000')).decision, 'allow')
    assert.equal(run(policy, { operation: 'chain.approval', approval: { chainId: 137, token: PUSD, spender: ALLOWED, amount: '1' } }).decision, 'deny')
  })
})

describe('generic conditions and ranking', () => {
  const policy = loadPolicy({
    name: 'mixed',
    rules: [
      { id: 'office-hours', action: 'allow', operation: 'users.export', conditions: [{ type: 'time-window', notBefore: NOW / 1000 - 60, notAfter: NOW / 1000 + 60 }] },
      { id: 'exports-need-two', action: 'require-approval', operation: 'users.export', approvals: { threshold: 2, approvers: ['token:alice', 'token:bob'] } },
      { id: 'own-maker', action: 'allow', operation: 'sign.typed-data', conditions: [{ type: 'typed-data-field', path: 'order.maker', eq: '$user.polygonAddress' }, { type: 'typed-data-field', path: 'order.amounts[1]', lte: '10' }] },
      { id: 'permit2-bounded', action: 'allow', operation: 'sign.typed-data', conditions: [{ type: 'permit', kind: ['permit2-single'], unlimited: false, expiration: { maxSecondsFromNow: 86400 } }] },
      { id: 'hello', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'message', matches: '^hello', caseInsensitive: true }] },
      { id: 'rate', action: 'allow', operation: '*', conditions: [{ type: 'velocity', window: '1m', measure: 'count', limit: 30 }] },
    ],
  })

  test('require-approval outranks allow and carries its approvers; both rules are charged', () => {
    const decision = run(policy, { operation: 'users.export' })
    assert.equal(decision.decision, 'require-approval')
    assert.equal(decision.ruleId, 'exports-need-two')
    assert.deepEqual(decision.decision === 'require-approval' && decision.approvals, { threshold: 2, approvers: ['token:alice', 'token:bob'] })
    assert.deepEqual(decision.charges.map((c) => [c.ruleId, c.amount, c.limit]), [['rate', 1, 30]])
    assert.deepEqual([run(policy, { operation: 'derive' }).decision, run(policy, { operation: 'derive' }, NOW).ruleId], ['allow', 'rate'])
  })

  test('typed-data-field resolves through the types: a key outside the struct is never seen', () => {
    const typedData = (maker: string, decoy?: string) => ({
      operation: 'sign.typed-data' as const,
      typedData: {
        domain: { name: 'X' },
        types: { Wrapper: [{ name: 'order', type: 'Inner' }], Inner: [{ name: 'maker', type: 'address' }, { name: 'amounts', type: 'uint256[]' }] },
        primaryType: 'Wrapper',
        message: { order: { maker, amounts: ['1', '10'] }, ...(decoy === undefined ? {} : { maker: decoy }) },
      },
    })
    assert.equal(run(policy, typedData(user.polygonAddress.toUpperCase().replace('0X', '0x'))).ruleId, 'own-maker')
    assert.equal(run(policy, typedData(ATTACKER, user.polygonAddress)).ruleId, 'rate')
  })

  test('Permit2: a bounded, short allowance passes; an unlimited or long one does not', () => {
    const permit2 = (amount: bigint, expiration: number) => ({
      operation: 'sign.typed-data' as const,
      typedData: {
        domain: { name: 'Permit2', chainId: 137, verifyingContract: '0x000000000022D473030F116dDEE9F6B43aC78BA3' },
        types: {
          PermitSingle: [{ name: 'details', type: 'PermitDetails' }, { name: 'spender', type: 'address' }, { name: 'sigDeadline', type: 'uint256' }],
          PermitDetails: [{ name: 'token', type: 'address' }, { name: 'amount', type: 'uint160' }, { name: 'expiration', type: 'uint48' }, { name: 'nonce', type: 'uint48' }],
        },
        primaryType: 'PermitSingle',
        message: { details: { token: PUSD, amount: amount.toString(), expiration, nonce: 0 }, spender: ATTACKER, sigDeadline: String(NOW / 1000 + 60) },
      },
    })
    assert.equal(run(policy, permit2(5n, NOW / 1000 + 3600)).ruleId, 'permit2-bounded')
    assert.equal(run(policy, permit2((1n << 160n) - 1n, NOW / 1000 + 3600)).ruleId, 'rate')
    assert.equal(run(policy, permit2(5n, NOW / 1000 + 7 * 86400)).ruleId, 'rate')
  })

  test('time windows, message patterns, and messages too long or not UTF-8 to judge', () => {
    assert.notEqual(run(policy, { operation: 'users.export' }, NOW + 3_600_000).ruleId, 'office-hours')
    assert.equal(run(policy, { operation: 'sign.evm-message', message: 'HELLO there' }).ruleId, 'hello')
    assert.equal(run(policy, { operation: 'sign.evm-message', message: 'transfer all' }).ruleId, 'rate')
    const long = run(policy, { operation: 'sign.evm-message', message: `hello ${'a'.repeat(9000)}` })
    assert.deepEqual([long.decision, long.ruleId], ['deny', 'hello'])
    assert.deepEqual([run(policy, { operation: 'sign.evm-message', message: new Uint8Array([0xff, 0xfe]) }).decision], ['deny'])
  })
})
