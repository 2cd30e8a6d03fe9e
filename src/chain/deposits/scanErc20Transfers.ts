/**
 * ERC-20 Transfer logs to any of many addresses over a block range: one eth_getLogs per
 * (address batch × block range), with the recipients in the third topic as an OR-list, so the
 * node filters and cost grows with the number of batches, not of users. A range the node
 * refuses (too many results, range too wide) is halved and retried down to one block.
 */
import { getAddress, parseAbiItem, type Address, type Log } from 'viem'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { toRpcError } from '../rpc/rpcError.ts'
import type { EvmDeposit } from '../../store/chain/evmDeposit.ts'

export const TRANSFER_EVENT = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

export type Erc20ScanOptions = Readonly<{
  tokens: readonly Address[]
  recipients: readonly Address[]
  fromBlock: bigint
  toBlock: bigint
  /** Recipients per topic list. */
  addressBatch: number
  /** Blocks per eth_getLogs. */
  blockRange: number
}>

type TransferLog = Log<bigint, number, false, typeof TRANSFER_EVENT, true>

async function logsInRange(client: PolygonClient, tokens: readonly Address[], to: readonly Address[], fromBlock: bigint, toBlock: bigint): Promise<TransferLog[]> {
  try {
    return (await client.getLogs({ address: [...tokens], event: TRANSFER_EVENT, args: { to: [...to] }, fromBlock, toBlock, strict: true })) as TransferLog[]
  } catch (error) {
    if (toBlock <= fromBlock) throw toRpcError(error, 'polygon', 'eth_getLogs')
    const middle = fromBlock + (toBlock - fromBlock) / 2n
    return [...(await logsInRange(client, tokens, to, fromBlock, middle)), ...(await logsInRange(client, tokens, to, middle + 1n, toBlock))]
  }
}

export async function scanErc20Transfers(client: PolygonClient, options: Erc20ScanOptions): Promise<EvmDeposit[]> {
  if (options.tokens.length === 0 || options.recipients.length === 0 || options.toBlock < options.fromBlock) return []
  const wanted = new Set(options.recipients.map((a) => a.toLowerCase()))
  const deposits: EvmDeposit[] = []
  const step = BigInt(options.blockRange)
  for (let start = options.fromBlock; start <= options.toBlock; start += step) {
    const end = start + step - 1n < options.toBlock ? start + step - 1n : options.toBlock
    for (let i = 0; i < options.recipients.length; i += options.addressBatch) {
      const batch = options.recipients.slice(i, i + options.addressBatch)
      for (const log of await logsInRange(client, options.tokens, batch, start, end)) {
        if (log.blockHash === null || log.transactionHash === null || log.logIndex === null || log.blockNumber === null) continue
        if (!wanted.has(log.args.to.toLowerCase()) || log.args.value === 0n) continue
        deposits.push({
          asset: getAddress(log.address),
          from: getAddress(log.args.from),
          to: getAddress(log.args.to),
          amount: log.args.value,
          txHash: log.transactionHash,
          logIndex: log.logIndex,
          blockNumber: log.blockNumber,
          blockHash: log.blockHash,
        })
      }
    }
  }
  return deposits
}
