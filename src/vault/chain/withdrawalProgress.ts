/**
 * A withdrawal's state follows its outbox transaction: pending (stored, not yet broadcast) → sent
 * → confirmed (N confirmations on Polygon, the configured commitment on Solana), or failed
 * (refused before sending, reverted, or never landed). Each change is a compare-and-set on the
 * row, with its webhook event, in one transaction: an event is emitted once per change.
 */
import type { WithdrawalState } from '../../store/schema.ts'
import { createSqlEvmOutboxStore } from '../../store/chain/evmOutboxStore.ts'
import { createSqlSolanaOutboxStore } from '../../store/chain/solanaOutboxStore.ts'
import { transitionWithdrawal, type WithdrawalRow } from '../../store/chain/withdrawalStore.ts'
import type { VaultContext } from '../context.ts'
import { emitChainEvent, type ChainEventType } from './chainEvents.ts'

export type Withdrawal = Readonly<{
  id: string
  userId: string
  chain: 'polygon' | 'solana'
  asset: string
  amount: string
  fromAddress: string
  to: string
  state: WithdrawalState
  /** Transaction hash (Polygon) or signature (Solana) of the current attempt, once signed. */
  txRef: string | null
  error: string | null
  createdAt: string
  updatedAt: string
}>

export const withdrawalInfo = (row: WithdrawalRow): Withdrawal => ({
  id: row.id,
  userId: row.user_id,
  chain: row.chain,
  asset: row.asset,
  amount: row.amount,
  fromAddress: row.from_address,
  to: row.to_address,
  state: row.state,
  txRef: row.tx_ref,
  error: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

type Observed = { state: WithdrawalState; txRef: string | null; error: string | null } | undefined

async function observe(ctx: VaultContext, row: WithdrawalRow): Promise<Observed> {
  if (row.chain === 'polygon') {
    const tx = await createSqlEvmOutboxStore(ctx.store.db, ctx.store.dialect).get(row.id)
    if (tx === undefined) return undefined
    const txRef = tx.minedHash ?? tx.txHash
    const state: WithdrawalState = tx.state === 'confirmed' ? 'confirmed' : tx.state === 'reverted' || tx.state === 'failed' ? 'failed' : tx.state === 'sent' || tx.state === 'mined' ? 'sent' : 'pending'
    return { state, txRef, error: tx.state === 'reverted' ? 'the transaction reverted on chain' : tx.state === 'failed' ? tx.lastError : null }
  }
  const tx = await createSqlSolanaOutboxStore(ctx.store.db, ctx.store.dialect).get(row.id)
  if (tx === undefined) return undefined
  const state: WithdrawalState = tx.state === 'confirmed' ? 'confirmed' : tx.state === 'failed' ? 'failed' : tx.state === 'sent' ? 'sent' : 'pending'
  return { state, txRef: tx.signature, error: tx.state === 'failed' ? tx.lastError : null }
}

const eventOf: Readonly<Partial<Record<WithdrawalState, ChainEventType>>> = { sent: 'withdrawal.sent', confirmed: 'withdrawal.confirmed', failed: 'withdrawal.failed' }

/**
 * Mirrors the outbox onto the withdrawal (`refused`: the outbox refused it before storing
 * anything). Returns 'no-transaction' when the outbox has no row for it yet.
 */
export async function syncWithdrawal(ctx: VaultContext, row: WithdrawalRow, options: { refused?: string } = {}): Promise<'no-transaction' | 'unchanged' | 'moved'> {
  const seen: Observed = options.refused !== undefined ? { state: 'failed', txRef: null, error: options.refused.slice(0, 500) } : await observe(ctx, row)
  if (seen === undefined) return 'no-transaction'
  if (seen.state === row.state && seen.txRef === row.tx_ref) return 'unchanged'
  if (row.state === 'confirmed' || row.state === 'failed') return 'unchanged'
  // pending → confirmed passes through sent, so the bot always hears `withdrawal.sent` first.
  const path: WithdrawalState[] = seen.state === row.state ? [seen.state] : row.state === 'pending' && seen.state === 'confirmed' ? ['sent', 'confirmed'] : [seen.state]
  const moved = await ctx.store.db.transaction().execute(async (trx) => {
    let from = row.state
    const at = new Date()
    for (const state of path) {
      if (!(await transitionWithdrawal(trx, row.id, from, { state, txRef: seen.txRef, lastError: seen.error }, at.toISOString()))) return false
      const type = state === from ? undefined : eventOf[state]
      if (type !== undefined) {
        await emitChainEvent(ctx, trx, type, { withdrawalId: row.id, userId: row.user_id, chain: row.chain, asset: row.asset, amount: row.amount, to: row.to_address, txRef: seen.txRef, error: seen.error }, at.getTime())
      }
      from = state
    }
    return true
  })
  return moved ? 'moved' : 'unchanged'
}
