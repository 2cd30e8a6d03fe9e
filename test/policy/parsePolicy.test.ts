/** Policy documents: bad ones give COFFRE_POLICY_INVALID with the path of the bad field, fuzzed ones never crash. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isCoffreError } from '../../src/errors.ts'
import { loadPolicy } from '../../src/policy/compilePolicy.ts'
import { parsePolicy } from '../../src/policy/parsePolicy.ts'
import { describeTemplates, instantiateTemplate, loadPolicySource, TEMPLATE_NAMES } from '../../src/policy/templates.ts'
import { chainContracts } from '../../src/polymarket/contracts.ts'

const rule = (extra: Record<string, unknown>) => ({ name: 'p', rules: [{ id: 'r', action: 'allow', operation: 'sign.evm-transaction', conditions: [], ...extra }] })

function invalidAt(input: unknown, path: string, message?: RegExp): void {
  assert.throws(() => parsePolicy(input), (error: unknown) => {
    assert.ok(isCoffreError(error), String(error))
    assert.equal(error.code, 'COFFRE_POLICY_INVALID')
    assert.equal(error.details?.path, path)
    if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

describe('parsePolicy', () => {
  test('names the bad field', () => {
    invalidAt('{', '(document)', /JSON/)
    invalidAt({ name: 'Bad Name', rules: [] }, 'name')
    invalidAt({ name: 'p', rules: [], extra: 1 }, '(document)', /extra/)
    invalidAt(rule({ action: 'permit' }), 'rules[0].action')
    invalidAt(rule({ operation: 'sign.anything' }), 'rules[0].operation')
    invalidAt(rule({ conditions: [{ type: 'evm-to', in: ['0xnope'] }] }), 'rules[0].conditions[0].in[0]')
    invalidAt(rule({ conditions: [{ type: 'evm-to', in: ['$user.password'] }] }), 'rules[0].conditions[0].in[0]', /\$user/)
    invalidAt(rule({ conditions: [{ type: 'erc20', amount: { lte: '-1' } }] }), 'rules[0].conditions[0].amount.lte')
    invalidAt(rule({ conditions: [{ type: 'native-value', lte: { value: '1.0000001', decimals: 6 } }] }), 'rules[0].conditions[0].lte')
    invalidAt(rule({ conditions: [{ type: 'message', matches: '.*' }] }), 'rules[0].conditions[0].type', /does not apply/)
    invalidAt({ name: 'p', rules: [{ id: 'r', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'message', matches: '(a)\\1' }] }] }, 'rules[0].conditions[0].matches', /RE2/)
    invalidAt({ name: 'p', rules: [{ id: 'r', action: 'allow', operation: '*', conditions: [{ type: 'chain-id', in: [1] }] }] }, 'rules[0].conditions[0].type')
    invalidAt(rule({ action: 'deny', conditions: [{ type: 'velocity', window: '1m', limit: 5, measure: 'count' }] }), 'rules[0].conditions[0]', /velocity/)
    invalidAt(rule({ conditions: [{ type: 'velocity', window: '1m', limit: '5', measure: 'amount' }] }), 'rules[0].conditions[0].asset')
    invalidAt(rule({ conditions: [{ type: 'velocity', window: '400d', limit: 5, measure: 'count' }] }), 'rules[0].conditions[0].window')
    invalidAt(rule({ action: 'require-approval' }), 'rules[0].approvals')
    invalidAt(rule({ approvals: { threshold: 1, approvers: ['a'] } }), 'rules[0].approvals')
    invalidAt(rule({ action: 'require-approval', approvals: { threshold: 3, approvers: ['a', 'b'] } }), 'rules[0].approvals.threshold')
    invalidAt({ name: 'p', rules: [rule({}).rules[0], rule({}).rules[0]] }, 'rules[1].id', /duplicate/)
  })

  test('fuzzed documents are accepted or refused with COFFRE_POLICY_INVALID, never anything else', () => {
    const anyJson = fc.jsonValue({ maxDepth: 6 })
    const nearPolicy = fc.record({
      name: fc.oneof(fc.constant('p'), fc.string()),
      rules: fc.array(fc.record({ id: fc.oneof(fc.constant('r'), fc.string()), action: fc.constantFrom('allow', 'deny', 'require-approval', 'x'), operation: fc.constantFrom('sign.typed-data', 'sign.evm-transaction', '*', 'polymarket.order', 'nope'), conditions: fc.array(fc.oneof(anyJson, fc.record({ type: fc.constantFrom('chain-id', 'evm-to', 'erc20', 'permit', 'polymarket-order', 'velocity', 'typed-data-field', 'solana-transfer', 'message'), in: anyJson, lte: anyJson, path: anyJson, matches: fc.string(), window: anyJson, limit: anyJson, measure: anyJson }, { requiredKeys: ['type'] })), { maxLength: 4 }) }, { requiredKeys: [] }), { maxLength: 4 }),
    }, { requiredKeys: [] })
    fc.assert(
      fc.property(fc.oneof(anyJson, nearPolicy, fc.string()), (input) => {
        try {
          loadPolicy(input)
        } catch (error) {
          assert.ok(isCoffreError(error) && error.code === 'COFFRE_POLICY_INVALID', `unexpected ${String(error)}`)
        }
      }),
      { numRuns: 3000 },
    )
  })
})

describe('templates', () => {
  test('each built-in template instantiates and compiles; parameters are checked', () => {
    assert.deepEqual(TEMPLATE_NAMES.sort(), ['allow-all', 'polymarket-trader', 'withdrawals'])
    assert.equal(loadPolicySource({ template: 'polymarket-trader' }).name, 'polymarket-trader')
    assert.equal(loadPolicySource(JSON.stringify({ template: 'withdrawals', params: { dailyLimitPol: '5', dailyLimitUsd: '100.5' }, name: 'desk-withdrawals' })).name, 'desk-withdrawals')
    assert.throws(() => instantiateTemplate({ template: 'withdrawals', params: { dailyLimitPol: '5' } }), { code: 'COFFRE_POLICY_INVALID', details: { path: 'params.dailyLimitUsd' } })
    assert.throws(() => instantiateTemplate({ template: 'polymarket-trader', params: { maxNotionalPerOrder: '1e6' } }), { details: { path: 'params.maxNotionalPerOrder' } })
    assert.throws(() => instantiateTemplate({ template: 'polymarket-trader', params: { slippage: '1' } }), { details: { path: 'params.slippage' } })
    assert.throws(() => instantiateTemplate({ template: 'nope' }), { details: { path: 'template' } })
    assert.ok(describeTemplates().every((t) => t.description.length > 20))
  })

  test('polymarket-trader without limits has no notional condition or velocity; with them it has both', () => {
    const bare = instantiateTemplate({ template: 'polymarket-trader' }).rules.find((r) => r.id === 'orders')!
    assert.ok(!bare.conditions.some((c) => c.type === 'velocity'))
    assert.ok(bare.conditions.some((c) => c.type === 'polymarket-order' && c.notional === undefined && c.maker !== undefined))
    const limited = instantiateTemplate({ template: 'polymarket-trader', params: { maxNotionalPerOrder: '100', maxNotionalPerDay: '500.25' } }).rules.find((r) => r.id === 'orders')!
    assert.deepEqual(limited.conditions.find((c) => c.type === 'velocity'), { type: 'velocity', window: 86400, limit: 500_250000n, measure: 'amount', asset: 'notional', counter: 'polymarket-notional' })
  })

  test('the template addresses are the contracts Coffre trades with', () => {
    const text = JSON.stringify(instantiateTemplate({ template: 'polymarket-trader' }), (_k, v) => (typeof v === 'bigint' ? String(v) : v))
    for (const chainId of [137, 80002]) for (const a of [chainContracts(chainId).exchangeV2, chainContracts(chainId).negRiskExchangeV2]) assert.ok(text.includes(a.toLowerCase()))
    for (const a of ['0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB', '0x4D97DCd97eC945f40cF65F87097ACe5EA0476045', '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296']) assert.ok(text.includes(a.toLowerCase()), a)
  })
})
