/**
 * ERC-20 transfer / transferFrom / approve / increaseAllowance and ERC-721/1155
 * setApprovalForAll calls, decoded from a transaction's calldata. These five take only static
 * words (address, uint256, bool), so the selector picks the layout and each word is read in
 * place: viem's decodeFunctionData hashes every ABI item's signature and checksums addresses
 * on each call (9–14 µs here, against well under 1 µs), and the policy sits on the signing hot
 * path. The reading follows viem's ABI decoder exactly — an address is the word's low 20
 * bytes, a bool must be 0 or 1, short calldata fails, trailing bytes are ignored — and a
 * property test holds the two to the same answers. Calldata whose selector names one of them
 * but whose arguments do not decode is Undecodable. An approval of 2^255 or more is
 * "unlimited": wallets send max uint256, and no real balance comes near 2^255.
 */
import type { EvmTransactionView } from './evmTransaction.ts'
import { undecodable } from './undecodable.ts'

export type Erc20Function = 'transfer' | 'transferFrom' | 'approve' | 'increaseAllowance'

export type Erc20Call = {
  readonly function: Erc20Function
  /** The token contract: the transaction's `to`. */
  readonly token: string
  /** transferFrom's owner. */
  readonly from?: string
  /** transfer / transferFrom recipient. */
  readonly recipient?: string
  /** approve / increaseAllowance spender. */
  readonly spender?: string
  readonly amount: bigint
  readonly unlimited: boolean
}

export type ApprovalForAllCall = { readonly token: string; readonly operator: string; readonly approved: boolean }

export const UNLIMITED_UINT256 = 1n << 255n

export const TOKEN_SELECTORS = Object.freeze({
  transfer: '0xa9059cbb',
  transferFrom: '0x23b872dd',
  approve: '0x095ea7b3',
  increaseAllowance: '0x39509351',
  setApprovalForAll: '0xa22cb465',
})

const ERC20_BY_SELECTOR: ReadonlyMap<string, Erc20Function> = new Map([
  [TOKEN_SELECTORS.transfer, 'transfer'],
  [TOKEN_SELECTORS.transferFrom, 'transferFrom'],
  [TOKEN_SELECTORS.approve, 'approve'],
  [TOKEN_SELECTORS.increaseAllowance, 'increaseAllowance'],
])

/** The n 32-byte argument words after the selector, as 64-character lowercase hex. */
function words(tx: EvmTransactionView, n: number): string[] {
  if (tx.data.length < 10 + 64 * n) return undecodable(`calldata with selector ${tx.selector} is too short for its arguments`)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(tx.data.slice(10 + 64 * i, 74 + 64 * i))
  return out
}

const address = (word: string) => `0x${word.slice(24)}`
const uint = (word: string) => BigInt(`0x${word}`)
const ZERO_63 = '0'.repeat(63)

function bool(word: string): boolean {
  if (!word.startsWith(ZERO_63) || (word[63] !== '0' && word[63] !== '1')) return undecodable('a bool argument is neither 0 nor 1')
  return word[63] === '1'
}

/** The ERC-20 call the transaction makes, null when its selector is none of the four. */
export function decodeErc20Call(tx: EvmTransactionView): Erc20Call | null {
  const fn = ERC20_BY_SELECTOR.get(tx.selector)
  if (fn === undefined) return null
  if (tx.to === null) return undecodable('an ERC-20 call needs a token address (to)')
  if (fn === 'transferFrom') {
    const [from, to, amount] = words(tx, 3) as [string, string, string]
    return { function: fn, token: tx.to, from: address(from), recipient: address(to), amount: uint(amount), unlimited: false }
  }
  const [who, value] = words(tx, 2) as [string, string]
  const amount = uint(value)
  if (fn === 'transfer') return { function: fn, token: tx.to, recipient: address(who), amount, unlimited: false }
  return { function: fn, token: tx.to, spender: address(who), amount, unlimited: amount >= UNLIMITED_UINT256 }
}

export function decodeApprovalForAll(tx: EvmTransactionView): ApprovalForAllCall | null {
  if (tx.selector !== TOKEN_SELECTORS.setApprovalForAll) return null
  if (tx.to === null) return undecodable('setApprovalForAll needs a token address (to)')
  const [operator, approved] = words(tx, 2) as [string, string]
  return { token: tx.to, operator: address(operator), approved: bool(approved) }
}
