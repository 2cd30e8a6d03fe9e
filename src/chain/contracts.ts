/**
 * The one table of contract addresses per EVM chain Coffre talks to: Polymarket's collateral,
 * Conditional Tokens, exchanges and adapter, the USDC.e → pUSD onramp, Polymarket's wallet
 * factories and Multicall3. Polygon (137) and Amoy (80002) come built in (addresses from
 * Polymarket's docs and @polymarket/clob-client-v2 1.1.0 `getContractConfig`); a deployment may
 * override any of them, and any other chain (a test chain) must name them all.
 * src/polymarket/contracts.ts reads the same table.
 */
import { getAddress, isAddress } from 'viem'
import { CoffreError } from '../errors.ts'

export type Address = `0x${string}`

export type PolygonContracts = Readonly<{
  /** Polymarket USD, the CLOB V2 collateral (6 decimals). */
  pUsd: Address
  /** Bridged USDC (USDC.e, 6 decimals), wrapped into pUSD through the onramp. */
  usdcE: Address
  /** Gnosis Conditional Tokens (ERC-1155 outcome tokens). */
  conditionalTokens: Address
  exchangeV2: Address
  negRiskExchangeV2: Address
  negRiskAdapter: Address
  /** CollateralOnramp: `wrap(asset, to, amount)` turns USDC.e into pUSD. */
  collateralOnramp: Address
  /** Factory of the Polymarket proxy wallets (Magic/email accounts); absent on Amoy. */
  proxyFactory: Address | undefined
  /** Factory of the Polymarket Gnosis Safes (browser-wallet accounts). */
  safeFactory: Address
  /** Multicall3 (`aggregate3`), used to batch balance and allowance reads. */
  multicall3: Address
}>

export type ContractName = keyof PolygonContracts

/** Multicall3's address on every chain where it was deployed with its presigned transaction. */
export const MULTICALL3_ADDRESS: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

const polygon: PolygonContracts = Object.freeze({
  pUsd: '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB',
  usdcE: '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174',
  conditionalTokens: '0x4D97DCd97eC945f40cF65F87097ACe5EA0476045',
  exchangeV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchangeV2: '0xe2222d279d744050d28e00520010520000310F59',
  negRiskAdapter: '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296',
  collateralOnramp: '0x93070a847efEf7F70739046A929D47a521F5B8ee',
  proxyFactory: '0xaB45c5A4B0c941a2F231C04C3f49182e1A254052',
  safeFactory: '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b',
  multicall3: MULTICALL3_ADDRESS,
})

/** Amoy shares Polygon's addresses except Conditional Tokens (the official client's AMOY_CONTRACTS) and the proxy factory. */
const amoy: PolygonContracts = Object.freeze({
  ...polygon,
  conditionalTokens: '0x69308FB512518e39F9b16112fA8d994F4e2Bf8bB',
  proxyFactory: undefined,
})

export const BUILT_IN_CONTRACTS: Readonly<Record<number, PolygonContracts>> = Object.freeze({ 137: polygon, 80002: amoy })

export type ContractOverrides = Readonly<Partial<Record<ContractName, string>>>

const names: readonly ContractName[] = Object.keys(polygon) as ContractName[]

function checkedAddress(name: string, value: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `contract address ${name} is not a 20-byte 0x address`, { details: { contract: name } })
  }
  return getAddress(value)
}

/**
 * The contracts of `chainId`: the built-in table for Polygon and Amoy with `overrides` on top; on
 * any other chain every contract except the proxy factory must be overridden.
 */
export function resolveContracts(chainId: number, overrides: ContractOverrides = {}): PolygonContracts {
  for (const key of Object.keys(overrides)) {
    if (!(names as readonly string[]).includes(key)) throw new CoffreError('COFFRE_INVALID_CONFIG', `unknown contract name ${key}`, { details: { contract: key } })
  }
  const base = BUILT_IN_CONTRACTS[chainId]
  const resolved: Partial<Record<ContractName, Address | undefined>> = {}
  for (const name of names) {
    const override = overrides[name]
    if (override !== undefined) resolved[name] = checkedAddress(name, override)
    else if (base !== undefined) resolved[name] = base[name]
    else if (name !== 'proxyFactory') {
      throw new CoffreError('COFFRE_INVALID_CONFIG', `chain ${chainId} has no built-in contracts: configure ${name}`, { details: { chainId, contract: name } })
    }
  }
  return Object.freeze(resolved) as PolygonContracts
}
