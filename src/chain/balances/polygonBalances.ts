/**
 * POL, pUSD and USDC.e balances of many addresses in one consistent read: the latest block is
 * fetched first, then every balance is read at that block number through Multicall3's
 * `aggregate3` (`getEthBalance` for POL, `balanceOf` for the tokens). Large address lists are
 * split into several eth_calls, all pinned to the same block, so the figures never mix blocks.
 */
import { erc20Abi, getAddress, isAddress, type Address, type Hex } from 'viem'
import { invalidInput } from '../../errors.ts'
import type { PolygonChain } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'

export type PolygonBalance = Readonly<{ address: Address; pol: bigint; pUsd: bigint; usdcE: bigint }>
export type PolygonBalances = Readonly<{ blockNumber: bigint; blockHash: Hex; balances: readonly PolygonBalance[] }>

const multicall3BalanceAbi = [
  { type: 'function', name: 'getEthBalance', stateMutability: 'view', inputs: [{ name: 'addr', type: 'address' }], outputs: [{ name: 'balance', type: 'uint256' }] },
] as const

/** Calldata bytes per eth_call (viem's multicall chunking); every chunk reads the same block. */
const CHUNK_BYTES = 16_384

export async function readPolygonBalances(polygon: Pick<PolygonChain, 'client' | 'config'>, addresses: readonly string[]): Promise<PolygonBalances> {
  const owners = addresses.map((address) => {
    if (typeof address !== 'string' || !isAddress(address, { strict: false })) throw invalidInput('expected EVM addresses', { address: String(address) })
    return getAddress(address)
  })
  const { client, config } = polygon
  const { pUsd, usdcE, multicall3 } = config.contracts
  const block = await rpcCall('polygon', 'eth_getBlockByNumber', () => client.getBlock({ blockTag: 'latest' }))
  if (block.number === null || block.hash === null) throw invalidInput('the latest block has no number')
  if (owners.length === 0) return Object.freeze({ blockNumber: block.number, blockHash: block.hash, balances: [] })
  const contracts = owners.flatMap((owner) => [
    { address: multicall3, abi: multicall3BalanceAbi, functionName: 'getEthBalance', args: [owner] } as const,
    { address: pUsd, abi: erc20Abi, functionName: 'balanceOf', args: [owner] } as const,
    { address: usdcE, abi: erc20Abi, functionName: 'balanceOf', args: [owner] } as const,
  ])
  const results = await rpcCall('polygon', 'multicall', () =>
    client.multicall({ contracts, allowFailure: false, blockNumber: block.number!, multicallAddress: multicall3, batchSize: CHUNK_BYTES }),
  )
  const balances = owners.map((address, i) =>
    Object.freeze({ address, pol: results[3 * i] as bigint, pUsd: results[3 * i + 1] as bigint, usdcE: results[3 * i + 2] as bigint }),
  )
  return Object.freeze({ blockNumber: block.number, blockHash: block.hash, balances: Object.freeze(balances) })
}
