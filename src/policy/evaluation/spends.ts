/**
 * What a request spends, per asset, for amount velocities: native value and ERC-20
 * transfer / transferFrom amounts of an EVM transaction, the notional of a Polymarket order
 * (route or typed data), lamports and SPL transfers of a Solana transaction, a withdrawal's
 * amount. Approvals and permits grant, they do not spend. `asset` undefined: an SPL transfer
 * that does not name its mint; `amount` undefined: a move of an unstated balance.
 */
import type { RequestContext } from './requestContext.ts'

export type Spend = { readonly chainKey: string; readonly asset: string | undefined; readonly amount: bigint | undefined }

export function requestSpends(ctx: RequestContext): readonly Spend[] {
  const request = ctx.request
  switch (request.operation) {
    case 'sign.evm-transaction': {
      const tx = ctx.evmTransaction()
      const chainKey = `evm:${tx.chainId}`
      const out: Spend[] = tx.value > 0n ? [{ chainKey, asset: 'native', amount: tx.value }] : []
      const call = ctx.erc20()
      if (call !== null && (call.function === 'transfer' || call.function === 'transferFrom')) out.push({ chainKey, asset: call.token, amount: call.amount })
      return out
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
