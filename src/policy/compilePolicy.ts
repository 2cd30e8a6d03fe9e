/**
 * Compiles a parsed policy once, at load time, into what evaluation runs per request: for each
 * operation, its rules (its own and `*` ones, in document order) with their conditions as
 * closures over prepared sets and their velocity limits as charge specs. Evaluating then
 * allocates nothing but the request's context.
 */
import { compileCondition } from './conditions/compileCondition.ts'
import type { CompiledCondition } from './conditions/compiledCondition.ts'
import type { VelocitySpec } from './evaluation/velocityCharges.ts'
import { POLICY_OPERATIONS, type PolicyOperation } from './operations.ts'
import { parsePolicy } from './parsePolicy.ts'
import type { PolicyDocument, RuleAction } from './schema/policyDocument.ts'

export type RuleApprovals = { readonly threshold: number; readonly approvers: readonly string[] }

export type CompiledRule = {
  readonly id: string
  readonly action: RuleAction
  readonly conditions: readonly CompiledCondition[]
  readonly velocity: readonly VelocitySpec[]
  readonly approvals: RuleApprovals | undefined
}

export type CompiledPolicy = {
  readonly name: string
  readonly version: number | undefined
  /** The normalised document it was compiled from. */
  readonly document: PolicyDocument
  readonly rulesFor: (operation: PolicyOperation) => readonly CompiledRule[]
}

export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const compiled = document.rules.map((rule): { operation: string; rule: CompiledRule } => {
    const conditions: CompiledCondition[] = []
    const velocity: VelocitySpec[] = []
    for (const condition of rule.conditions) {
      if (condition.type !== 'velocity') conditions.push(compileCondition(condition))
      else {
        const asset = condition.asset === undefined ? undefined : condition.asset.startsWith('0x') ? condition.asset.toLowerCase() : condition.asset
        velocity.push({ ruleId: rule.id, counter: condition.counter ?? `${document.name}:${rule.id}`, windowSeconds: condition.window, limit: condition.limit, measure: condition.measure, asset })
      }
    }
    const approvals = rule.approvals === undefined ? undefined : Object.freeze({ threshold: rule.approvals.threshold, approvers: Object.freeze([...rule.approvals.approvers]) })
    return { operation: rule.operation, rule: Object.freeze({ id: rule.id, action: rule.action, conditions, velocity, approvals }) }
  })
  const byOperation = new Map<PolicyOperation, readonly CompiledRule[]>()
  for (const operation of POLICY_OPERATIONS) {
    byOperation.set(operation, Object.freeze(compiled.filter((c) => c.operation === operation || c.operation === '*').map((c) => c.rule)))
  }
  const none: readonly CompiledRule[] = Object.freeze([])
  return Object.freeze({ name: document.name, version: document.version, document, rulesFor: (operation: PolicyOperation) => byOperation.get(operation) ?? none })
}

/** parsePolicy then compilePolicy: a document (object or JSON text) to an evaluable policy. */
export function loadPolicy(input: unknown): CompiledPolicy {
  return compilePolicy(parsePolicy(input))
}
