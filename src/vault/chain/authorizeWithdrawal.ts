/**
 * THE authorisation point of every withdrawal (operation `withdrawals`): called once per new
 * request, before anything is stored, signed or broadcast. A refusal throws (a typed
 * CoffreError: COFFRE_POLICY_DENIED, COFFRE_APPROVAL_REQUIRED…) and the withdrawal is not created.
 *
 * Integration point for the policy engine (issue 12): evaluate `request` against the policies
 * attached to the caller and the user here — allowlists, limits, velocity, approvals — with the
 * velocity counted in the same transaction as the audit entry. Until that is connected every
 * withdrawal that passes Coffre's own checks (known asset, valid address, positive amount, a user
 * wallet) is allowed, and the decision is audited.
 */
import type { ActionOptions, VaultContext } from '../context.ts'
import { DEFAULT_ACTOR } from '../context.ts'

export const WITHDRAWAL_OPERATION = 'withdrawals'

export type WithdrawalAuthorizationRequest = Readonly<{
  chain: 'polygon' | 'solana'
  /** `POL`, `pUSD`, `USDC.e` (Polygon) or `SOL`, `USDC` (Solana). */
  asset: string
  /** Base units, decimal. */
  amount: string
  to: string
  user: Readonly<{ id: string; telegramUserId: number; address: string }>
}>

export async function authorizeWithdrawal(ctx: VaultContext, request: WithdrawalAuthorizationRequest, options: ActionOptions = {}): Promise<void> {
  await ctx.audit.append({
    action: 'policy.decision',
    actor: options.actor ?? DEFAULT_ACTOR,
    userId: request.user.id,
    subject: WITHDRAWAL_OPERATION,
    details: { operation: WITHDRAWAL_OPERATION, decision: 'allow', rule: 'no-policy-engine', chain: request.chain, asset: request.asset, amount: request.amount, to: request.to },
  })
}
