/**
 * The one policy gate of the vault. Every operation a policy governs (signing, Polymarket orders
 * and credentials, user creation, import and export, derived keys, pairs — and the chain
 * operations of later issues) calls `authorize` BEFORE any key is decrypted:
 *
 * - `decide(ctx, principal, request, user)` is the decision alone (no audit, no charge): the
 *   caller's policy (its token's; none → the built-in allow-all, which still refuses Solana
 *   transaction bytes as a message) evaluated on the request.
 * - `authorize(ctx, options, ref, request)` decides for `options.principal`; a denial (or a hold
 *   for approval, which this version refuses: quorum approvals are not available yet) is audited
 *   with the deciding rule (`policy.deny`) and thrown as COFFRE_POLICY_DENIED. An allow returns the
 *   rule and the velocity charges, which the caller pays atomically with the audit entry of the
 *   action: signing passes them in its KeyUse (`useKey` charges them in the key-use audit
 *   transaction), other operations call `settleCharges` before acting.
 */
import type { PolicyDecision } from '../../policy/evaluatePolicy.ts'
import { evaluatePolicy } from '../../policy/evaluatePolicy.ts'
import type { PolicyUser } from '../../policy/policyUser.ts'
import type { PolicyRequest } from '../../policy/request.ts'
import type { RuledCharge } from '../../store/audit/groupWriter.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import type { UserRef } from '../users/findUser.ts'
import { policyDenied } from './policyDenied.ts'
import { policyUserOf } from './policyUserOf.ts'
import type { Principal } from './principal.ts'
import { ALLOW_ALL, builtInPolicy, resolvePolicy } from './resolvePolicy.ts'

export type Decision = PolicyDecision & { readonly policy: string; readonly policyVersion: number | null }

/** What an allowed request carries to its key use: the deciding rule and the charges to pay. */
export type Authorized = { readonly operation: string; readonly policy: string; readonly ruleId: string; readonly charges: readonly RuledCharge[] }

export async function decide(ctx: VaultContext, principal: Principal | undefined, request: PolicyRequest, user: PolicyUser): Promise<Decision> {
  const name = principal?.policy ?? ALLOW_ALL
  const resolved = name === ALLOW_ALL ? builtInPolicy(ALLOW_ALL)! : await resolvePolicy(ctx, name)
  const decision = evaluatePolicy(resolved.compiled, request, { user, now: Date.now() })
  return { ...decision, policy: resolved.name, policyVersion: resolved.version }
}

/** The policy user for a request without a user (users.create, a pair without a user): the caller. */
const callerUser = (principal: Principal | undefined): PolicyUser => ({ id: principal === undefined ? 'library' : `token:${principal.id}` })

export async function authorize(ctx: VaultContext, options: ActionOptions, ref: UserRef | null, request: PolicyRequest): Promise<Authorized> {
  const principal = options.principal
  const user = ref === null ? callerUser(principal) : await policyUserOf(ctx, ref)
  const decision = await decide(ctx, principal, request, user)
  if (decision.decision === 'allow') return { operation: request.operation, policy: decision.policy, ruleId: decision.ruleId, charges: decision.charges }
  const reason = decision.decision === 'deny' ? decision.reason : 'the rule requires approval, and quorum approvals are not available in this version'
  await ctx.audit.append(denialEntry(options, ref === null ? null : user.id, request.operation, decision.policy, decision.ruleId, reason))
  ctx.observer.audited?.('policy.deny', 1)
  throw policyDenied(decision.ruleId, reason, request.operation)
}

export function denialEntry(options: ActionOptions, userId: string | null, operation: string, policy: string, ruleId: string | null, reason: string) {
  return { action: 'policy.deny', actor: options.actor ?? DEFAULT_ACTOR, userId, subject: `policy:${policy}`, details: { operation, rule: ruleId, reason } }
}

/** Pays an allowed request's velocity charges now, with a `policy.charge` audit entry (operations that use no key). */
export async function settleCharges(ctx: VaultContext, options: ActionOptions, userId: string | null, authorized: Authorized): Promise<void> {
  if (authorized.charges.length === 0) return
  const entry = { action: 'policy.charge', actor: options.actor ?? DEFAULT_ACTOR, userId, subject: `policy:${authorized.policy}`, details: { operation: authorized.operation, rule: authorized.ruleId } }
  const { refusedBy } = await ctx.audit.appendCharged(entry, authorized.charges, (ruleId) => denialEntry(options, userId, authorized.operation, authorized.policy, ruleId, 'velocity limit exceeded'))
  if (refusedBy !== null) throw policyDenied(refusedBy, 'velocity limit exceeded', authorized.operation)
}
