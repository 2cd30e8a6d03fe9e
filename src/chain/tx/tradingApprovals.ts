/**
 * Polymarket's trading approvals for one wallet: pUSD `approve` and Conditional Tokens
 * `setApprovalForAll` to the CTF Exchange V2, the Neg Risk CTF Exchange V2 and the Neg Risk
 * Adapter (DESIGN.md). `missingTradingApprovals` reads all six in one multicall at one block;
 * `approvalCall` builds the transaction that grants one (unlimited allowance, operator approval).
 */
import { erc20Abi, getAddress, type Address } from 'viem'
import type { PolygonContracts } from '../contracts.ts'
import type { PolygonChain } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import { erc1155ApprovalAbi, erc20ApproveCall, MAX_UINT256, setApprovalForAllCall, type EvmCall } from './evmCalls.ts'

export type TradingApproval = Readonly<{ kind: 'pusd-allowance' | 'ctf-operator'; contract: Address; spender: Address }>

/** Below this pUSD allowance a spender counts as not approved (an unlimited approval never falls under it in practice). */
export const MIN_ALLOWANCE = 2n ** 128n

export function requiredTradingApprovals(contracts: PolygonContracts): TradingApproval[] {
  const spenders = [contracts.exchangeV2, contracts.negRiskExchangeV2, contracts.negRiskAdapter]
  return [
    ...spenders.map((spender) => ({ kind: 'pusd-allowance' as const, contract: contracts.pUsd, spender })),
    ...spenders.map((spender) => ({ kind: 'ctf-operator' as const, contract: contracts.conditionalTokens, spender })),
  ]
}

export async function missingTradingApprovals(polygon: Pick<PolygonChain, 'client' | 'config'>, owner: Address): Promise<{ blockNumber: bigint; missing: TradingApproval[] }> {
  const wallet = getAddress(owner)
  const required = requiredTradingApprovals(polygon.config.contracts)
  const blockNumber = await rpcCall('polygon', 'eth_blockNumber', () => polygon.client.getBlockNumber({ cacheTime: 0 }))
  const results = await rpcCall('polygon', 'multicall', () =>
    polygon.client.multicall({
      allowFailure: false,
      blockNumber,
      multicallAddress: polygon.config.contracts.multicall3,
      contracts: required.map((a) =>
        a.kind === 'pusd-allowance'
          ? ({ address: a.contract, abi: erc20Abi, functionName: 'allowance', args: [wallet, a.spender] } as const)
          : ({ address: a.contract, abi: erc1155ApprovalAbi, functionName: 'isApprovedForAll', args: [wallet, a.spender] } as const),
      ),
    }),
  )
  const missing = required.filter((a, i) => (a.kind === 'pusd-allowance' ? (results[i] as bigint) < MIN_ALLOWANCE : results[i] !== true))
  return { blockNumber, missing }
}

export const approvalCall = (approval: TradingApproval): EvmCall =>
  approval.kind === 'pusd-allowance' ? erc20ApproveCall(approval.contract, approval.spender, MAX_UINT256) : setApprovalForAllCall(approval.contract, approval.spender, true)
