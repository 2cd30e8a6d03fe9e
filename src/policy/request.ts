/**
 * The request model: what the vault hands the evaluator for each operation, exactly as it
 * received it (the decoders read the same bytes and objects the signer will sign).
 */
import type { RouteOrderInput } from './decode/polymarketOrder.ts'
import type { ApprovalRequest, WithdrawalRequest } from './decode/withdrawal.ts'

export type PolicyRequest =
  | { readonly operation: 'sign.evm-message'; readonly message: string | Uint8Array }
  | { readonly operation: 'sign.solana-message'; readonly message: string | Uint8Array }
  /** The EIP-712 object `{ domain, types, primaryType, message }` the vault will hash. */
  | { readonly operation: 'sign.typed-data'; readonly typedData: unknown }
  /** The transaction request the vault will sign (EIP-1559 or legacy fields). */
  | { readonly operation: 'sign.evm-transaction'; readonly transaction: unknown }
  /** Wire bytes of the transaction the vault will sign. */
  | { readonly operation: 'sign.solana-transaction'; readonly transaction: Uint8Array }
  /** The vault's PlaceOrderInput and the chain its Polymarket config targets. */
  | { readonly operation: 'polymarket.order'; readonly chainId: number; readonly order: RouteOrderInput }
  | { readonly operation: 'polymarket.credentials'; readonly chainId: number }
  | { readonly operation: 'users.create' | 'users.import' | 'users.export' | 'derive' | 'pairs' }
  | { readonly operation: 'chain.withdrawal'; readonly withdrawal: WithdrawalRequest }
  | { readonly operation: 'chain.approval'; readonly approval: ApprovalRequest }

export type { RouteOrderInput, WithdrawalRequest, ApprovalRequest }
