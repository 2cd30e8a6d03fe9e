/**
 * Parses a policy document (an object, or JSON text) into its validated, normalised form, or
 * throws COFFRE_POLICY_INVALID naming the first bad field's path. Beyond the schema: rule ids
 * are unique, approvals come with (and only with) require-approval rules, every condition fits
 * its rule's operation, velocity limits sit on allow / require-approval rules, and patterns compile.
 */
import { isAddress as isSolanaAddress } from '@solana/kit'
import { isAddress as isEvmAddress } from 'viem'
import { conditionFits, SPENDING_OPERATIONS } from './conditionScope.ts'
import { compileMessagePattern } from './messagePattern.ts'
import { policyInvalid } from './policyError.ts'
import { policyDocumentSchema, type PolicyDocument, type PolicyRule } from './schema/policyDocument.ts'
import type { Condition } from './schema/conditions.ts'

export const MAX_POLICY_JSON = 1 << 20

const INSTRUCTION_KIND = /^(system|token|token-2022)\.[A-Za-z0-9]{1,40}$/
const isAsset = (value: string) => value === 'native' || isEvmAddress(value) || isSolanaAddress(value)

function checkCondition(rule: PolicyRule, condition: Condition, path: (string | number)[]): void {
  if (!conditionFits(condition.type, rule.operation)) {
    throw policyInvalid([...path, 'type'], rule.operation === '*' ? `"${condition.type}" depends on the operation; a rule for "*" takes only time-window and count velocity conditions` : `"${condition.type}" does not apply to ${rule.operation}`)
  }
  switch (condition.type) {
    case 'velocity':
      if (rule.action === 'deny') throw policyInvalid(path, 'a velocity limit belongs on the allow or require-approval rule it caps (a deny rule denies outright)')
      if (condition.measure === 'count' && condition.asset !== undefined) throw policyInvalid([...path, 'asset'], 'a count velocity has no asset')
      if (condition.measure === 'amount') {
        if (condition.asset === undefined) throw policyInvalid([...path, 'asset'], 'an amount velocity names its asset: "native", "notional" (Polymarket order value) or a token address / mint')
        if (rule.operation === '*' || !SPENDING_OPERATIONS.includes(rule.operation)) throw policyInvalid([...path, 'measure'], `${rule.operation} requests spend no asset; use measure "count"`)
        if (condition.asset !== 'notional' && !isAsset(condition.asset)) throw policyInvalid([...path, 'asset'], 'expected "native", "notional", an EVM token address or a Solana mint')
      }
      return
    case 'message':
    case 'typed-data-field': {
      const source = condition.matches
      if (source === undefined) return
      try {
        compileMessagePattern(source, condition.type === 'message' && condition.caseInsensitive === true)
      } catch (error) {
        throw policyInvalid([...path, 'matches'], `pattern does not compile (RE2 syntax: no backreferences or lookaround): ${(error as Error).message}`)
      }
      return
    }
    case 'solana-instruction':
      condition.in.forEach((entry, i) => {
        if (!INSTRUCTION_KIND.test(entry) && !isSolanaAddress(entry)) throw policyInvalid([...path, 'in', i], 'expected an instruction kind such as "system.transferSol" or "token.transferChecked", or a program id')
      })
      return
    case 'solana-transfer':
    case 'withdrawal':
      condition.asset?.forEach((entry, i) => {
        if (!isAsset(entry)) throw policyInvalid([...path, 'asset', i], 'expected "native", an EVM token address or a Solana mint')
      })
      return
    default:
      return
  }
}

function checkRule(rule: PolicyRule, index: number): void {
  const path = ['rules', index]
  if (rule.action === 'require-approval' && rule.approvals === undefined) throw policyInvalid([...path, 'approvals'], 'a require-approval rule names its approvers and threshold')
  if (rule.action !== 'require-approval' && rule.approvals !== undefined) throw policyInvalid([...path, 'approvals'], 'only require-approval rules take approvals')
  rule.conditions.forEach((condition, i) => checkCondition(rule, condition, [...path, 'conditions', i]))
}

export function parsePolicy(input: unknown): PolicyDocument {
  let value = input
  if (typeof input === 'string') {
    if (input.length > MAX_POLICY_JSON) throw policyInvalid('(document)', `larger than ${MAX_POLICY_JSON} characters`)
    try {
      value = JSON.parse(input)
    } catch {
      throw policyInvalid('(document)', 'not valid JSON')
    }
  }
  const parsed = policyDocumentSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw policyInvalid(issue.path, issue.message)
  }
  const document = parsed.data
  const seen = new Set<string>()
  document.rules.forEach((rule, index) => {
    if (seen.has(rule.id)) throw policyInvalid(['rules', index, 'id'], `duplicate rule id "${rule.id}"`)
    seen.add(rule.id)
    checkRule(rule, index)
  })
  return document
}
