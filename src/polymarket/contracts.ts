/**
 * Polymarket contract addresses per chain, read from the one per-chain table in
 * src/chain/contracts.ts (built from @polymarket/clob-client-v2 1.1.0 `getContractConfig`,
 * rs-clob-client-v2 `WALLET_CONFIG` and Polymarket's docs). Only the CLOB V2 exchanges are
 * there: V1 orders are no longer accepted.
 */
import { BUILT_IN_CONTRACTS, type Address, type PolygonContracts } from '../chain/contracts.ts'
import { invalidInput } from '../errors.ts'

export type { Address }
export type PolymarketChainId = 137 | 80002

export type ChainContracts = PolygonContracts

/** keccak256 of the proxy wallet creation code (EIP-1167 minimal proxy). */
export const PROXY_INIT_CODE_HASH: Address = '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b'
/** keccak256 of the Polymarket Safe proxy creation code. */
export const SAFE_INIT_CODE_HASH: Address = '0x2bce2127ff07fb632d16c8347c4ebf501f4841168bed00d9e6ef715ddb6fcecf'

export function isPolymarketChainId(chainId: unknown): chainId is PolymarketChainId {
  return chainId === 137 || chainId === 80002
}

export function chainContracts(chainId: number): ChainContracts {
  const contracts = isPolymarketChainId(chainId) ? BUILT_IN_CONTRACTS[chainId] : undefined
  if (contracts !== undefined) return contracts
  throw invalidInput('Polymarket runs on Polygon (137) and Amoy (80002) only', { chainId: String(chainId) })
}

/** The exchange that verifies an order: the neg-risk exchange for neg-risk markets. */
export function exchangeAddress(chainId: number, negRisk: boolean): Address {
  const contracts = chainContracts(chainId)
  return negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2
}
