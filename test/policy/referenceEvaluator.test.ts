/**
 * Property: over random EVM transaction requests and random policies, evaluatePolicy agrees
 * with a small reference evaluator written here independently — it reads the raw JSON policy
 * (no zod, no compiled closures) and decodes calldata with viem's decodeFunctionData — on the
 * decision, the deciding rule and the velocity charge amounts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeFunctionData, erc20Abi, parseAbi, type Hex } from 'viem'
import { loadPolicy } from '../../src/policy/compilePolicy.ts'
import { evaluatePolicy } from '../../src/policy/evaluatePolicy.ts'
import { approveData, evmTx, transferData } from './fixtures.ts'

const ADDRESSES = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222', '0x000000000000000000000000000000000000dead', '0xc011a7e12a19f7b1f670d46f03b03f3342e82dfb']
const USER = { id: 'u', polygonAddress: ADDRESSES[0]!, withdrawalAllowlist: [ADDRESSES[1]!] }
const NOW = 1_750_000_000_000
const abi = [...erc20Abi, ...parseAbi(['function increaseAllowance(address spender, uint256 addedValue)'])]

const address = fc.constantFrom(...ADDRESSES, '$user.polygonAddress', '$user.withdrawalAllowlist')
const amount = fc.bigInt({ min: 0n, max: 2000n })
const setOf = <T>(item: fc.Arbitrary<T>) => fc.oneof(fc.record({ in: fc.array(item, { minLength: 1, maxLength: 3 }) }), fc.record({ notIn: fc.array(item, { minLength: 1, maxLength: 3 }) }))

const condition = fc.oneof(
  setOf(fc.constantFrom(1, 137, 8453)).map((s) => ({ type: 'chain-id', ...s })),
  setOf(address).map((s) => ({ type: 'evm-to', ...s })),
  fc.record({ lte: amount.map(String) }).map((r) => ({ type: 'native-value', ...r })),
  setOf(fc.constantFrom('0x', '0xa9059cbb', '0x095ea7b3')).map((s) => ({ type: 'selector', ...s })),
  fc.record(
    { functions: fc.subarray(['transfer', 'approve', 'increaseAllowance'], { minLength: 1 }), recipient: setOf(address), spender: setOf(address), amount: fc.record({ lte: amount.map(String) }), unlimited: fc.boolean() },
    { requiredKeys: [] },
  ).map((r) => ({ type: 'erc20', ...r })),
)
const rule = fc.record({
  action: fc.constantFrom('allow', 'deny', 'require-approval'),
  conditions: fc.array(condition, { maxLength: 3 }),
  velocity: fc.option(fc.record({ window: fc.constantFrom('60s', '24h'), limit: fc.bigInt({ min: 1n, max: 3000n }).map(String), measure: fc.constantFrom('count', 'amount') }), { nil: undefined }),
})
const policy = fc.array(rule, { maxLength: 5 }).map((rules) => ({
  name: 'random',
  rules: rules.map((r, i) => ({
    id: `r${i}`,
    action: r.action,
    operation: 'sign.evm-transaction',
    conditions: [...r.conditions, ...(r.velocity !== undefined && r.action !== 'deny' ? [{ type: 'velocity', ...r.velocity, ...(r.velocity.measure === 'amount' ? { asset: 'native' } : {}) }] : [])],
    ...(r.action === 'require-approval' ? { approvals: { threshold: 1, approvers: ['token:ops'] } } : {}),
  })),
}))
const request = fc
  .record({
    chainId: fc.constantFrom(1, 137, 8453),
    to: fc.constantFrom(...ADDRESSES),
    value: amount,
    call: fc.oneof(
      fc.constant<Hex>('0x'),
      fc.tuple(fc.constantFrom(...ADDRESSES), amount).map(([to, n]) => transferData(to, n)),
      fc.tuple(fc.constantFrom(...ADDRESSES), fc.oneof(amount, fc.constant((1n << 256n) - 1n))).map(([to, n]) => approveData(to, n)),
      fc.constant<Hex>('0xa9059cbb0000'),
    ),
  })
  .map((r) => evmTx({ chainId: r.chainId, to: r.to, value: r.value, data: r.call }))

// ---- the reference: a direct reading of the documented semantics ----
type Raw = Record<string, any>
const lower = (v: string) => v.toLowerCase()
const resolve = (items: string[]) => items.flatMap((v) => (v === '$user.polygonAddress' ? [USER.polygonAddress] : v === '$user.withdrawalAllowlist' ? USER.withdrawalAllowlist : [v])).map((v) => (typeof v === 'string' ? lower(v) : v))
const inSet = (set: Raw, value: unknown) => (set.in !== undefined ? value !== undefined && resolve(set.in).includes(value as never) : value === undefined || !resolve(set.notIn).includes(value as never))
class Broken extends Error {}

function decodeCall(data: string) {
  const selector = data.length >= 10 ? data.slice(0, 10) : data
  if (!['0xa9059cbb', '0x095ea7b3', '0x39509351', '0x23b872dd'].includes(selector)) return null
  try {
    const { functionName, args } = decodeFunctionData({ abi, data: data as Hex })
    const a = args as readonly [string, bigint]
    return functionName === 'transfer' ? { fn: functionName, recipient: lower(a[0]), amount: a[1], unlimited: false } : { fn: functionName, spender: lower(a[0]), amount: a[1], unlimited: a[1] >= 1n << 255n }
  } catch {
    throw new Broken()
  }
}

function holds(c: Raw, tx: Raw): boolean {
  switch (c.type) {
    case 'chain-id': return inSet(c, tx.chainId)
    case 'evm-to': return inSet(c, lower(tx.to))
    case 'native-value': return BigInt(tx.value) <= BigInt(c.lte)
    case 'selector': return inSet(c, tx.data.length >= 10 ? tx.data.slice(0, 10) : tx.data)
    case 'erc20': {
      const call = decodeCall(tx.data)
      if (call === null || (c.functions !== undefined && !c.functions.includes(call.fn))) return false
      if (c.recipient !== undefined && (call.recipient === undefined || !inSet(c.recipient, call.recipient))) return false
      if (c.spender !== undefined && (call.spender === undefined || !inSet(c.spender, call.spender))) return false
      if (c.amount !== undefined && call.amount > BigInt(c.amount.lte)) return false
      return c.unlimited === undefined || call.unlimited === c.unlimited
    }
    default: return true // velocity: judged after the match
  }
}

function reference(doc: Raw, tx: Raw): { decision: string; ruleId: string | null; amounts: number[] } {
  const matched: Raw[] = []
  for (const rule of doc.rules) {
    let ok = true
    try {
      for (const c of rule.conditions) if (!holds(c, tx)) { ok = false; break }
    } catch (e) {
      if (e instanceof Broken) return { decision: 'deny', ruleId: rule.id, amounts: [] }
      throw e
    }
    if (!ok) continue
    if (rule.action === 'deny') return { decision: 'deny', ruleId: rule.id, amounts: [] }
    matched.push(rule)
  }
  const winner = matched.find((r) => r.action === 'require-approval') ?? matched.find((r) => r.action === 'allow')
  if (winner === undefined) return { decision: 'deny', ruleId: null, amounts: [] }
  const amounts: number[] = []
  for (const rule of matched) {
    for (const c of rule.conditions.filter((x: Raw) => x.type === 'velocity')) {
      const spent = c.measure === 'count' ? 1n : BigInt(tx.value)
      if (spent === 0n) continue
      if (spent > BigInt(c.limit)) return { decision: 'deny', ruleId: rule.id, amounts: [] }
      amounts.push(Number(spent))
    }
  }
  return { decision: winner.action, ruleId: winner.id, amounts }
}

test('evaluatePolicy agrees with the reference evaluator on random policies and transactions', () => {
  fc.assert(
    fc.property(policy, request, (doc, req) => {
      const ours = evaluatePolicy(loadPolicy(doc), req, { user: USER, now: NOW })
      const theirs = reference(doc, (req as { transaction: Raw }).transaction)
      assert.deepEqual({ decision: ours.decision, ruleId: ours.ruleId, amounts: ours.charges.map((c) => c.amount) }, theirs)
    }),
    { numRuns: 3000 },
  )
})
