/**
 * Detects a reorg against a checkpoint's recorded blocks: the newest recorded block is compared
 * with the chain's block at that height; if it differs, older recorded blocks are compared until
 * one still matches (blocks link by parent hash, so everything below a match is unchanged).
 * Recorded blocks above the match are reported removed and scanning resumes right after it.
 * A reorg that reaches below every recorded block is refused: the window was too short.
 */
import { CoffreError } from '../../errors.ts'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import type { BlockRef, EvmReorg, EvmScanCheckpoint } from '../../store/chain/evmDeposit.ts'

async function canonicalHash(client: PolygonClient, number: bigint): Promise<string | undefined> {
  const block = await rpcCall('polygon', 'eth_getBlockByNumber', () => client.getBlock({ blockNumber: number }).catch((error: unknown) => {
    // A block above the (shortened) head does not exist any more.
    if (error instanceof Error && error.name === 'BlockNotFoundError') return undefined
    throw error
  }))
  return block?.hash ?? undefined
}

export async function findReorg(client: PolygonClient, checkpoint: EvmScanCheckpoint): Promise<EvmReorg | undefined> {
  const recorded = checkpoint.recentBlocks
  const removed: BlockRef[] = []
  for (let i = recorded.length - 1; i >= 0; i--) {
    const block = recorded[i]!
    if ((await canonicalHash(client, block.number)) === block.hash) {
      return removed.length === 0 ? undefined : { fromBlock: block.number + 1n, removedBlocks: removed.reverse() }
    }
    removed.push(block)
  }
  if (removed.length === 0) return undefined
  throw new CoffreError('COFFRE_CONFLICT', `the chain reorganised below every recorded block (deeper than block ${recorded[0]!.number}); deposits since then need a manual rescan`, {
    details: { oldestRecordedBlock: recorded[0]!.number.toString() },
  })
}
