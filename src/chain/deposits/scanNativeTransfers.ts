/**
 * Native (POL) transfers to any of many addresses: every block of the range is read with its
 * transactions (concurrently, a few at a time, so an HTTP batch carries them), transactions whose
 * `to` is watched and whose value is positive are kept, and each kept one is confirmed by its
 * receipt (a reverted transaction moved nothing). Transfers made by contracts (internal calls)
 * are not visible this way: they need trace APIs.
 */
import { getAddress, type Address, type Hex } from 'viem'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import type { BlockRef, EvmDeposit } from '../../store/chain/evmDeposit.ts'

const CONCURRENT_BLOCKS = 16

export type NativeScan = Readonly<{ deposits: EvmDeposit[]; blocks: BlockRef[] }>

/** Reads blocks [fromBlock, toBlock]; also returns each block's hash and checks they link up. */
export async function scanNativeTransfers(client: PolygonClient, recipients: readonly Address[], fromBlock: bigint, toBlock: bigint): Promise<NativeScan> {
  const wanted = new Set(recipients.map((a) => a.toLowerCase()))
  const deposits: EvmDeposit[] = []
  const blocks: BlockRef[] = []
  let parent: Hex | undefined
  for (let start = fromBlock; start <= toBlock; start += BigInt(CONCURRENT_BLOCKS)) {
    const numbers: bigint[] = []
    for (let n = start; n <= toBlock && n < start + BigInt(CONCURRENT_BLOCKS); n++) numbers.push(n)
    const fetched = await rpcCall('polygon', 'eth_getBlockByNumber', () => Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber, includeTransactions: true }))))
    for (const block of fetched) {
      if (block.hash === null || block.number === null) continue
      if (parent !== undefined && block.parentHash !== parent) {
        // The chain moved under us mid-range: stop here; the next scan sees the reorg.
        return { deposits, blocks }
      }
      parent = block.hash
      blocks.push({ number: block.number, hash: block.hash })
      for (const tx of block.transactions) {
        if (tx.to == null || tx.value === 0n || !wanted.has(tx.to.toLowerCase())) continue
        const receipt = await rpcCall('polygon', 'eth_getTransactionReceipt', () => client.getTransactionReceipt({ hash: tx.hash }))
        if (receipt.status !== 'success' || receipt.blockHash !== block.hash) continue
        deposits.push({ asset: 'native', from: getAddress(tx.from), to: getAddress(tx.to), amount: tx.value, txHash: tx.hash, logIndex: null, blockNumber: block.number, blockHash: block.hash })
      }
    }
  }
  return { deposits, blocks }
}
