/**
 * The deposits one confirmed Solana transaction makes to a watched owner, from its balance
 * metadata: the owner's lamports after minus before (SOL), and for each token account it owns of
 * the watched mint, the amount after minus before (SPL). Failed transactions and transactions the
 * owner signed (its own sends, fee payments, rent refunds) make no deposit.
 */
import type { Address } from '@solana/kit'
import type { SolanaDeposit } from '../../store/chain/solanaDeposit.ts'

type TokenBalance = Readonly<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: Readonly<{ amount: string }> }>

export type SolanaTransactionJson = Readonly<{
  slot: bigint
  blockTime: bigint | null
  transaction: Readonly<{ signatures: readonly string[]; message: Readonly<{ accountKeys: readonly string[]; header: Readonly<{ numRequiredSignatures: number }> }> }>
  meta: Readonly<{
    err: unknown
    preBalances: readonly bigint[]
    postBalances: readonly bigint[]
    preTokenBalances?: readonly TokenBalance[] | null
    postTokenBalances?: readonly TokenBalance[] | null
    loadedAddresses?: Readonly<{ writable: readonly string[]; readonly: readonly string[] }>
  }> | null
}>

export function solanaTransactionDeposits(tx: SolanaTransactionJson, owner: Address, mint: Address): SolanaDeposit[] {
  const meta = tx.meta
  if (meta === null || meta.err !== null) return []
  const { accountKeys, header } = tx.transaction.message
  const keys = [...accountKeys, ...(meta.loadedAddresses?.writable ?? []), ...(meta.loadedAddresses?.readonly ?? [])]
  const signers = keys.slice(0, header.numRequiredSignatures)
  if (signers.includes(owner)) return []
  const base = { owner, signature: tx.transaction.signatures[0] ?? '', slot: tx.slot, blockTime: tx.blockTime }
  const deposits: SolanaDeposit[] = []
  const index = keys.indexOf(owner)
  if (index >= 0) {
    const delta = BigInt(meta.postBalances[index] ?? 0n) - BigInt(meta.preBalances[index] ?? 0n)
    if (delta > 0n) deposits.push({ ...base, asset: 'SOL', amount: delta })
  }
  const before = new Map((meta.preTokenBalances ?? []).map((b) => [b.accountIndex, b]))
  let tokens = 0n
  for (const after of meta.postTokenBalances ?? []) {
    if (after.mint !== mint || after.owner !== owner) continue
    const previous = before.get(after.accountIndex)
    tokens += BigInt(after.uiTokenAmount.amount) - (previous?.mint === mint ? BigInt(previous.uiTokenAmount.amount) : 0n)
  }
  if (tokens > 0n) deposits.push({ ...base, asset: mint, amount: tokens })
  return deposits
}
