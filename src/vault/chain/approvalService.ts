/**
 * vault.chain.approvals: Polymarket's trading approvals for a user's Polygon wallet (pUSD
 * `approve` and Conditional Tokens `setApprovalForAll` to both V2 exchanges and the neg-risk
 * adapter). `ensure` reads the current allowances at one block and sends only the missing ones,
 * each under a deterministic outbox id (chain, user, kind, spender): asking again — after a crash,
 * from another instance, or while they are in flight — finds the same transactions, so each
 * approval is sent exactly once. When nothing is missing the user moves to `approved` (event
 * `onboarding.stage`). The watcher runs `ensure` for every `funded` user (approval on first
 * funding); it needs POL for gas and is retried until then.
 */
import { approvalCall, missingTradingApprovals, type TradingApproval } from '../../chain/tx/tradingApprovals.ts'
import { CoffreError } from '../../errors.ts'
import { advanceOnboarding, usersAtStage } from '../../store/chain/onboardingStore.ts'
import type { EvmTxState } from '../../store/chain/evmOutbox.ts'
import type { VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import type { ChainConnections } from './chainConnections.ts'
import { emitChainEvent } from './chainEvents.ts'
import type { ChainSenders } from './chainSenders.ts'

export type ApprovalProgress = Readonly<{
  userId: string
  address: string
  /** Read at this block. */
  blockNumber: string
  /** `approved` when nothing is missing on chain. */
  state: 'approved' | 'pending'
  pending: readonly Readonly<{ kind: TradingApproval['kind']; contract: string; spender: string; transactionId: string; state: EvmTxState; txHash: string | null }>[]
}>

export function createApprovalService(ctx: VaultContext, chains: ChainConnections, senders: ChainSenders) {
  async function ensure(ref: UserRef): Promise<ApprovalProgress> {
    const polygon = chains.polygon()
    const { user, wallets } = await requireUserRows(ctx, ref)
    const owner = wallets.find((w) => w.chain === 'polygon')?.address as `0x${string}` | undefined
    if (owner === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'user has no polygon wallet')
    const { blockNumber, missing } = await missingTradingApprovals(polygon, owner)
    const pending = []
    for (const approval of missing) {
      const id = `approval:${polygon.config.chainId}:${user.id}:${approval.kind}:${approval.spender.toLowerCase()}`
      const tx = await senders.evm().submit({ id, from: owner, call: approvalCall(approval) })
      pending.push({ kind: approval.kind, contract: approval.contract, spender: approval.spender, transactionId: id, state: tx.state, txHash: tx.txHash })
    }
    if (missing.length === 0) {
      await ctx.store.db.transaction().execute(async (trx) => {
        if (await advanceOnboarding(trx, user.id, 'approved', new Date().toISOString())) await emitChainEvent(ctx, trx, 'onboarding.stage', { userId: user.id, stage: 'approved' })
      })
    }
    return { userId: user.id, address: owner, blockNumber: blockNumber.toString(), state: missing.length === 0 ? 'approved' : 'pending', pending }
  }

  return {
    ensure,
    /** Runs `ensure` for users whose wallet was funded and who are not approved yet. */
    async processFunded(limit = 20): Promise<number> {
      if (!chains.hasPolygon) return 0
      const users = await usersAtStage(ctx.store.db, 'funded', limit)
      for (const id of users) {
        await ensure({ id }).catch((error: unknown) => ctx.logger.warn({ userId: id, message: error instanceof Error ? error.message : String(error) }, 'polymarket approvals not sent yet'))
      }
      return users.length
    },
  }
}

export type ApprovalService = ReturnType<typeof createApprovalService>
