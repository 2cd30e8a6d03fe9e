/**
 * Chain operations the vault performs itself (later issues): a withdrawal of an asset to an
 * address, an ERC-20 approval. Their requests are already structured; this checks and
 * normalises them (EVM addresses lowercase, amounts as bigints in base units).
 */
import { transactionQuantity } from './quantity.ts'
import { undecodable } from './undecodable.ts'

export type WithdrawalRequest = {
  readonly chain: 'evm' | 'solana'
  /** Required for EVM withdrawals. */
  readonly chainId?: number | undefined
  /** 'native', an ERC-20 address or an SPL mint. */
  readonly asset: string
  readonly to: string
  /** Base units. */
  readonly amount: string | bigint
}

export type ApprovalRequest = { readonly chainId: number; readonly token: string; readonly spender: string; readonly amount: string | bigint }

export type WithdrawalView = { readonly chainKey: string; readonly chainId: number | undefined; readonly asset: string; readonly to: string; readonly amount: bigint }
export type ApprovalView = { readonly chainId: number; readonly token: string; readonly spender: string; readonly amount: bigint; readonly unlimited: boolean }

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/
const normalise = (value: string) => (EVM_ADDRESS.test(value) ? value.toLowerCase() : value)

export function decodeWithdrawal(request: WithdrawalRequest): WithdrawalView {
  if (typeof request !== 'object' || request === null) return undecodable('the withdrawal is not an object')
  const amount = transactionQuantity(request.amount)
  if (amount === undefined) return undecodable('the withdrawal amount is not an integer')
  if (typeof request.asset !== 'string' || typeof request.to !== 'string') return undecodable('the withdrawal names its asset and recipient')
  if (request.chain === 'solana') return { chainKey: 'solana', chainId: undefined, asset: request.asset, to: request.to, amount }
  if (request.chain !== 'evm' || !Number.isSafeInteger(request.chainId) || (request.chainId ?? 0) < 1) return undecodable('an EVM withdrawal names its chainId')
  return { chainKey: `evm:${request.chainId}`, chainId: request.chainId, asset: normalise(request.asset), to: normalise(request.to), amount }
}

export function decodeApproval(request: ApprovalRequest): ApprovalView {
  if (typeof request !== 'object' || request === null) return undecodable('the approval is not an object')
  const amount = transactionQuantity(request.amount)
  if (amount === undefined || amount >= 1n << 256n) return undecodable('the approval amount is not a uint256')
  if (!Number.isSafeInteger(request.chainId) || request.chainId < 1) return undecodable('the approval names its chainId')
  if (typeof request.token !== 'string' || !EVM_ADDRESS.test(request.token) || typeof request.spender !== 'string' || !EVM_ADDRESS.test(request.spender)) return undecodable('the approval names token and spender addresses')
  return { chainId: request.chainId, token: request.token.toLowerCase(), spender: request.spender.toLowerCase(), amount, unlimited: amount >= 1n << 255n }
}
