/**
 * What a request spends, per asset, for amount velocities: native value and ERC-20
 * transfer / transferFrom amounts of an EVM transaction, the notional of a Polymarket order
 * (route or typed data), lamports and SPL transfers of a Solana transaction, a withdrawal's
 * amount. Approvals and permits grant, they do not spend. `asset` undefined: an SPL transfer
 * that does not name its mint; `amount` undefined: a move of an unstated balance.
 */
import type { RequestContext } from './requestContext.ts'

export type Spend = { readonly chainKey: string; readonly asset: string | undefined; readonly amount: bigint | undefined }

/** The request's spends that may be of `asset` (only what that needs is decoded: a native limit never reads calldata). */
export function requestSpends(ctx: RequestContext, asset: string): readonly Spend[] {
  const request = ctx.request
  switch (request.operation) {
    case 'sign.evm-transaction': {
      const tx = ctx.evmTransaction()
      const chainKey = `evm:${tx.chainId}`
      if (asset === 'native') return tx.value > 0n ? [{ chainKey, asset, amount: tx.value }] : []
      if (tx.to !== asset) return []
      const call = ctx.erc20()
      return call !== null && (call.function === 'transfer' || call.function === 'transferFrom') ? [{ chainKey, asset: call.token, amount: call.amount }] : []
    }
    case 'sign.typed-data':
    case 'polymarket.order': {
      const order = ctx.order()
      return order === null ? [] : [{ chainKey: `evm:${order.chainId}`, asset: 'notional', amount: order.notional }]
    }
    case 'sign.solana-transaction':
      return ctx.solanaTransaction().instructions.flatMap((ix) => ix.transfers.map((t) => ({ chainKey: 'solana', asset: t.asset, amount: t.amount })))
    case 'chain.withdrawal': {
      const w = ctx.withdrawal()
      return [{ chainKey: w.chainKey, asset: w.asset, amount: w.amount }]
    }
    default:
      return []
  }
}
