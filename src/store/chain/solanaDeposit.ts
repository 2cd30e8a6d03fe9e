/**
 * Solana deposits and the per-account scan checkpoint. A deposit is identified by
 * (signature, owner, asset). Deposits are read at `finalized` commitment by default, where
 * nothing is rolled back, so there is no reorg handling on this side.
 */
import type { Address } from '@solana/kit'

export type SolanaDeposit = Readonly<{
  /** `SOL` or the SPL mint. */
  asset: 'SOL' | Address
  /** The watched wallet that received it (for SPL: the owner of the receiving token account). */
  owner: Address
  amount: bigint
  signature: string
  slot: bigint
  blockTime: bigint | null
}>

/**
 * Per scanned account (a wallet, or its USDC token account): the newest signature already
 * processed and the account's balance when last read (null: unknown, scan its signatures).
 */
export type SolanaAccountCheckpoint = Readonly<{ lastSignature: string | null; balance: bigint | null }>

export const solanaDepositKey = (d: Pick<SolanaDeposit, 'signature' | 'owner' | 'asset'>): string => `${d.signature}:${d.owner}:${d.asset}`
