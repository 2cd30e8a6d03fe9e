/**
 * Polymarket contract addresses per chain, as the official clients configure them
 * (@polymarket/clob-client-v2 1.1.0 `getContractConfig`; rs-clob-client-v2 `WALLET_CONFIG`).
 * Only the CLOB V2 exchanges are here: V1 orders are no longer accepted.
 */
import { invalidInput } from '../errors.ts'

export type Address = `0x${string}`
export type PolymarketChainId = 137 | 80002

export type ChainContracts = Readonly<{
  exchangeV2: Address
  negRiskExchangeV2: Address
  /** Factory of the Polymarket proxy wallets (Magic/email accounts); absent on Amoy. */
  proxyFactory: Address | undefined
  /** Factory of the Polymarket Gnosis Safes (browser-wallet accounts). */
  safeFactory: Address
}>

const polygon: ChainContracts = Object.freeze({
  exchangeV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchangeV2: '0xe2222d279d744050d28e00520010520000310F59',
  proxyFactory: '0xaB45c5A4B0c941a2F231C04C3f49182e1A254052',
  safeFactory: '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b',
})

const amoy: ChainContracts = Object.freeze({
  exchangeV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchangeV2: '0xe2222d279d744050d28e00520010520000310F59',
  proxyFactory: undefined,
  safeFactory: '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b',
})

/** keccak256 of the proxy wallet creation code (EIP-1167 minimal proxy). */
export const PROXY_INIT_CODE_HASH: Address = '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b'
/** keccak256 of the Polymarket Safe proxy creation code. */
export const SAFE_INIT_CODE_HASH: Address = '0x2bce2127ff07fb632d16c8347c4ebf501f4841168bed00d9e6ef715ddb6fcecf'

export function isPolymarketChainId(chainId: unknown): chainId is PolymarketChainId {
  return chainId === 137 || chainId === 80002
}

export function chainContracts(chainId: number): ChainContracts {
  if (chainId === 137) return polygon
  if (chainId === 80002) return amoy
  throw invalidInput('Polymarket runs on Polygon (137) and Amoy (80002) only', { chainId: String(chainId) })
}

/** The exchange that verifies an order: the neg-risk exchange for neg-risk markets. */
export function exchangeAddress(chainId: number, negRisk: boolean): Address {
  const contracts = chainContracts(chainId)
  return negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2
}
