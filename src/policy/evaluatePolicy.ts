/**
 * Evaluates a request against a compiled policy. Deterministic, pure (the clock and the user
 * are inputs), fail-closed:
 *
 * 1. A sign.solana-message whose bytes parse as a transaction message is denied by the built-in
 *    rule `coffre:solana-message-is-transaction`, whatever the policy says.
 * 2. Rules for the request's operation (and `*` rules) are taken in document order. A rule's
 *    conditions are checked in order; the first that does not hold ends that rule. A condition
 *    that needs a part of the request that cannot be decoded denies the request at once, by
 *    that rule ("fail-closed"). A matching deny rule denies at once.
 * 3. Otherwise: a matching require-approval rule (the first) holds the request for approval;
 *    else a matching allow rule (the first) allows it; else it is denied (no rule allows it:
 *    default deny). Deny > require-approval > allow: approval is a stronger demand than allow
 *    and a weaker one than a refusal, so "allow transfers, but require approval above 1,000"
 *    and "deny to this address" compose as an operator expects.
 * 4. Every matching allow and require-approval rule's velocity conditions become charges, in
 *    rule order, one per counter key (the lowest limit wins). A charge above its limit on its
 *    own — or above it with `velocityTotals` — denies by its rule. Otherwise the vault applies
 *    the charges atomically (velocity.ts) and denies if one is refused.
 */
import { looksLikeSolanaTransactionMessage } from './decode/solanaMessageGuard.ts'
import { Undecodable } from './decode/undecodable.ts'
import type { CompiledPolicy, CompiledRule, RuleApprovals } from './compilePolicy.ts'
import { RequestContext } from './evaluation/requestContext.ts'
import { chargeFor } from './evaluation/velocityCharges.ts'
import type { PolicyUser } from './policyUser.ts'
import type { PolicyRequest } from './request.ts'
import type { VelocityCharge } from './velocity.ts'

export const SOLANA_MESSAGE_GUARD_RULE = 'coffre:solana-message-is-transaction'

export type PolicyDecision =
  | { readonly decision: 'deny'; readonly ruleId: string | null; readonly reason: string; readonly charges: readonly [] }
  | { readonly decision: 'allow'; readonly ruleId: string; readonly reason: string; readonly charges: readonly VelocityCharge[] }
  | { readonly decision: 'require-approval'; readonly ruleId: string; readonly reason: string; readonly charges: readonly VelocityCharge[]; readonly approvals: RuleApprovals }

export type EvaluationInput = {
  readonly user: PolicyUser
  /** Unix milliseconds (or a Date); time-window conditions and velocity buckets read it. */
  readonly now: number | Date
  /** Current window totals by charge key, in the charge's units (dry runs); omit to let the store count. */
  readonly velocityTotals?: ReadonlyMap<string, number> | undefined
}

const EMPTY: readonly [] = Object.freeze([]) as readonly []
const deny = (ruleId: string | null, reason: string): PolicyDecision => ({ decision: 'deny', ruleId, reason, charges: EMPTY })

type Match = 'match' | 'no-match' | { undecodable: string }

function matchRule(rule: CompiledRule, ctx: RequestContext): Match {
  try {
    for (const condition of rule.conditions) if (!condition(ctx)) return 'no-match'
    return 'match'
  } catch (error) {
    if (error instanceof Undecodable) return { undecodable: error.message }
    throw error
  }
}

function collectCharges(rules: readonly CompiledRule[], ctx: RequestContext): VelocityCharge[] | { ruleId: string; reason: string } {
  const byKey = new Map<string, VelocityCharge>()
  for (const rule of rules) {
    for (const spec of rule.velocity) {
      let charge: VelocityCharge | null
      try {
        charge = chargeFor(spec, ctx)
      } catch (error) {
        if (error instanceof Undecodable) return { ruleId: rule.id, reason: `cannot decode the request: ${error.message}` }
        throw error
      }
      if (charge === null) continue
      const seen = byKey.get(charge.key)
      if (seen === undefined || charge.limit < seen.limit) byKey.set(charge.key, charge)
    }
  }
  return [...byKey.values()]
}

export function evaluatePolicy(policy: CompiledPolicy, request: PolicyRequest, input: EvaluationInput): PolicyDecision {
  if (request.operation === 'sign.solana-message') {
    const bytes = typeof request.message === 'string' ? new TextEncoder().encode(request.message) : request.message
    if (bytes instanceof Uint8Array && looksLikeSolanaTransactionMessage(bytes)) return deny(SOLANA_MESSAGE_GUARD_RULE, 'the message bytes are a Solana transaction message')
  }
  const now = input.now instanceof Date ? input.now.getTime() : input.now
  const ctx = new RequestContext(request, input.user, now)
  const rules = policy.rulesFor(request.operation)
  const matched: CompiledRule[] = []
  let approval: CompiledRule | undefined
  let allow: CompiledRule | undefined
  for (const rule of rules) {
    const result = matchRule(rule, ctx)
    if (result === 'no-match') continue
    if (result !== 'match') return deny(rule.id, `cannot decode the request: ${result.undecodable}`)
    if (rule.action === 'deny') return deny(rule.id, 'denied by rule')
    matched.push(rule)
    if (rule.action === 'require-approval') approval ??= rule
    else allow ??= rule
  }
  const decider = approval ?? allow
  if (decider === undefined) return deny(null, rules.length === 0 ? `the policy has no rule for ${request.operation}` : 'no rule allows this request')
  const charges = collectCharges(matched, ctx)
  if (!Array.isArray(charges)) return deny(charges.ruleId, charges.reason)
  for (const charge of charges) {
    const total = input.velocityTotals?.get(charge.key) ?? 0
    if (total + charge.amount > charge.limit) return deny(charge.ruleId, 'velocity limit exceeded')
  }
  if (approval !== undefined) return { decision: 'require-approval', ruleId: approval.id, reason: 'approval required by rule', charges, approvals: approval.approvals! }
  return { decision: 'allow', ruleId: decider.id, reason: 'allowed by rule', charges }
}
