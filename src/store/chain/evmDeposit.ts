/**
 * What the EVM deposit scanner reads and returns. A deposit is identified by (txHash, logIndex)
 * — logIndex is null for a native transfer, which is identified by its transaction — and carries
 * the hash of the block it was found in, so a reorg can void exactly the deposits of the blocks
 * that disappeared.
 */
import type { Address, Hex } from 'viem'

export type BlockRef = Readonly<{ number: bigint; hash: Hex }>

export type EvmDeposit = Readonly<{
  /** `native` (POL) or the ERC-20 token contract. */
  asset: 'native' | Address
  from: Address
  to: Address
  amount: bigint
  txHash: Hex
  /** Position of the Transfer log in its block; null for a native transfer. */
  logIndex: number | null
  blockNumber: bigint
  blockHash: Hex
}>

/**
 * Where a scan stands: the next block to read and the hashes of recently scanned blocks (each
 * scanned range's last block and every block a deposit was found in), ascending, to detect a
 * reorg on the next scan.
 */
export type EvmScanCheckpoint = Readonly<{ nextBlock: bigint; recentBlocks: readonly BlockRef[] }>

export type EvmReorg = Readonly<{
  /** The first block number whose content may have changed; it is scanned again. */
  fromBlock: bigint
  /** Recorded blocks that are no longer on the chain: deposits found in them are reverted. */
  removedBlocks: readonly BlockRef[]
}>

export type EvmScanResult = Readonly<{
  deposits: readonly EvmDeposit[]
  reorg: EvmReorg | undefined
  /** The range read in this call (inclusive), or undefined when nothing was confirmed yet. */
  scanned: Readonly<{ fromBlock: bigint; toBlock: bigint }> | undefined
  checkpoint: EvmScanCheckpoint
  /** The chain head seen at the start of the call. */
  head: bigint
}>

export const depositKey = (d: Pick<EvmDeposit, 'txHash' | 'logIndex'>): string => `${d.txHash}:${d.logIndex ?? 'native'}`
