/**
 * THE authorisation point of every withdrawal: called once per new request, before anything is
 * stored, signed or broadcast. The request goes to the vault's policy gate (operation
 * `chain.withdrawal`, as the `withdrawals` template and docs/policies.md name it) for the caller's
 * policy: allowlists, limits, approvals; its velocity charges are paid here, atomically with their
 * audit entry, so concurrent withdrawals on several instances never overspend together. A refusal
 * throws COFFRE_POLICY_DENIED (audited with the deciding rule) and the withdrawal is not created.
 */
import type { ActionOptions, VaultContext } from '../context.ts'
import { DEFAULT_ACTOR } from '../context.ts'
import { authorize, settleCharges } from '../policies/authorize.ts'

export const WITHDRAWAL_OPERATION = 'chain.withdrawal'

export type WithdrawalAuthorizationRequest = Readonly<{
  chain: 'polygon' | 'solana'
  /** The EVM chain id of the Polygon connection (absent on Solana). */
  chainId?: number
  /** `POL`, `pUSD`, `USDC.e` (Polygon) or `SOL`, `USDC` (Solana). */
  asset: string
  /** What the policy compares: `native`, the ERC-20 contract address or the SPL mint. */
  assetRef: string
  /** Base units, decimal. */
  amount: string
  to: string
  user: Readonly<{ id: string; telegramUserId: number; address: string }>
}>

export async function authorizeWithdrawal(ctx: VaultContext, request: WithdrawalAuthorizationRequest, options: ActionOptions = {}): Promise<void> {
  const withdrawal = { chain: request.chain === 'polygon' ? ('evm' as const) : ('solana' as const), chainId: request.chainId, asset: request.assetRef, to: request.to, amount: request.amount }
  const authorized = await authorize(ctx, options, { id: request.user.id }, { operation: WITHDRAWAL_OPERATION, withdrawal })
  await settleCharges(ctx, options, request.user.id, authorized)
  await ctx.audit.append({
    action: 'policy.decision',
    actor: options.actor ?? DEFAULT_ACTOR,
    userId: request.user.id,
    subject: `policy:${authorized.policy}`,
    details: { operation: WITHDRAWAL_OPERATION, decision: 'allow', rule: authorized.ruleId, chain: request.chain, asset: request.asset, amount: request.amount, to: request.to },
  })
}
