/**
 * One step of EVM deposit scanning, a pure function of the chain and a checkpoint: detect a reorg
 * against the recorded blocks (and rewind to it), then read up to `maxBlocks` blocks that have
 * `confirmations` blocks on top — native transfers by block, ERC-20 Transfer logs by address
 * batch — and return the deposits with the next checkpoint. The caller stores deposits, reverts
 * and checkpoint in one transaction (store/chainDeposits.ts); running the same step twice from
 * the same checkpoint returns the same deposits.
 */
import type { Address } from 'viem'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import type { BlockRef, EvmDeposit, EvmScanCheckpoint, EvmScanResult } from '../../store/chain/evmDeposit.ts'
import { findReorg } from './findReorg.ts'
import { scanErc20Transfers } from './scanErc20Transfers.ts'
import { scanNativeTransfers } from './scanNativeTransfers.ts'

export type EvmScanOptions = Readonly<{
  recipients: readonly Address[]
  /** ERC-20 contracts whose transfers count as deposits (pUSD, USDC.e). */
  tokens: readonly Address[]
  /** Also scan blocks for native transfers (one block read per block). */
  native: boolean
  confirmations: number
  /** Blocks read per call at most. */
  maxBlocks: number
  /** Recorded blocks kept below the scanned tip for reorg detection. */
  reorgWindow: number
  logBlockRange: number
  logAddressBatch: number
}>

export const defaultScanTuning = Object.freeze({ maxBlocks: 5_000, reorgWindow: 256, logBlockRange: 2_000, logAddressBatch: 500 })

function prune(blocks: readonly BlockRef[], tip: bigint, window: number): BlockRef[] {
  const byNumber = new Map<bigint, BlockRef>()
  for (const block of blocks) if (block.number + BigInt(window) > tip) byNumber.set(block.number, block)
  return [...byNumber.values()].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
}

export async function scanEvmDeposits(client: PolygonClient, checkpoint: EvmScanCheckpoint, options: EvmScanOptions): Promise<EvmScanResult> {
  const head = await rpcCall('polygon', 'eth_blockNumber', () => client.getBlockNumber({ cacheTime: 0 }))
  const reorg = await findReorg(client, checkpoint)
  const from = reorg === undefined ? checkpoint.nextBlock : reorg.fromBlock
  const kept = reorg === undefined ? checkpoint.recentBlocks : checkpoint.recentBlocks.filter((b) => b.number < reorg.fromBlock)
  const safe = head - BigInt(options.confirmations)
  const limit = from + BigInt(options.maxBlocks) - 1n
  const wanted = safe < limit ? safe : limit
  if (wanted < from) {
    return { deposits: [], reorg, scanned: undefined, checkpoint: { nextBlock: from, recentBlocks: kept }, head }
  }

  let to = wanted
  let tipBlock: BlockRef
  const deposits: EvmDeposit[] = []
  if (options.native) {
    const native = await scanNativeTransfers(client, options.recipients, from, wanted)
    const last = native.blocks.at(-1)
    if (last === undefined) return { deposits: [], reorg, scanned: undefined, checkpoint: { nextBlock: from, recentBlocks: kept }, head }
    to = last.number
    tipBlock = last
    deposits.push(...native.deposits)
  } else {
    const block = await rpcCall('polygon', 'eth_getBlockByNumber', () => client.getBlock({ blockNumber: wanted }))
    tipBlock = { number: wanted, hash: block.hash }
  }
  // The tip's hash is read before the logs: a reorg in between shows up on the next scan.
  deposits.push(...(await scanErc20Transfers(client, { tokens: options.tokens, recipients: options.recipients, fromBlock: from, toBlock: to, addressBatch: options.logAddressBatch, blockRange: options.logBlockRange })))
  deposits.sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : a.blockNumber > b.blockNumber ? 1 : (a.logIndex ?? -1) - (b.logIndex ?? -1)))

  // With nothing recorded yet, the block before the range anchors reorg detection below it.
  const anchor: BlockRef[] = []
  if (kept.length === 0 && from > 0n) {
    const before = await rpcCall('polygon', 'eth_getBlockByNumber', () => client.getBlock({ blockNumber: from - 1n }))
    anchor.push({ number: from - 1n, hash: before.hash })
  }
  const recorded = [...anchor, ...kept, ...deposits.map((d) => ({ number: d.blockNumber, hash: d.blockHash })), tipBlock]
  return {
    deposits,
    reorg,
    scanned: { fromBlock: from, toBlock: to },
    checkpoint: { nextBlock: to + 1n, recentBlocks: prune(recorded, to, options.reorgWindow) },
    head,
  }
}
