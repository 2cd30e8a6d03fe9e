/**
 * A Polymarket V2 order as a policy sees it, whichever way it arrives: through the vault's order
 * route (PlaceOrderInput: amounts from price, size and tick size with the official rounding,
 * maker resolved as the vault resolves it) or as plain typed data (what the official client
 * signs through signTypedData). Notional is the collateral side (pUSD base units): what a BUY
 * pays or a SELL receives; shares the other side.
 */
import { chainContracts } from '../../polymarket/contracts.ts'
import { limitOrderAmounts } from '../../polymarket/orderAmounts.ts'
import type { Side, TickSize } from '../../polymarket/orderAmounts.ts'
import type { TypedDataView } from './typedData.ts'
import { ownField, readAddress, readUint } from './typedDataValues.ts'
import { undecodable } from './undecodable.ts'

export type PolymarketOrderView = {
  readonly chainId: number
  /** Lowercase verifying exchange; undefined for a route order that names none. */
  readonly exchange: string
  readonly negRisk: boolean | undefined
  readonly maker: string
  readonly signer: string
  readonly tokenId: bigint
  readonly side: 'BUY' | 'SELL'
  readonly signatureType: number
  readonly notional: bigint
  readonly shares: bigint
}

/**
 * The fields of the vault's PlaceOrderInput (vault/polymarket/orderService.ts) a policy reads;
 * declared here so that policy/ does not import from the vault layer above it.
 */
export type RouteOrderInput = {
  readonly tokenId: string
  readonly side: Side
  readonly price: number
  readonly size: number
  readonly tickSize: TickSize
  readonly negRisk: boolean
  readonly signatureType?: 0 | 1 | 2 | undefined
  readonly maker?: string | undefined
}

/** The Polymarket wallets of the signing user, needed to resolve a route order's maker. */
export type OrderWallets = { readonly eoa: string | undefined; readonly proxyWallet: () => string | undefined; readonly safeWallet: () => string | undefined }

function exchangeOf(chainId: number, negRisk: boolean): string {
  try {
    const contracts = chainContracts(chainId)
    return (negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2).toLowerCase()
  } catch {
    return undecodable(`Polymarket does not run on chain ${chainId}`)
  }
}

function negRiskOf(chainId: number, exchange: string): boolean | undefined {
  try {
    const contracts = chainContracts(chainId)
    if (exchange === contracts.negRiskExchangeV2.toLowerCase()) return true
    if (exchange === contracts.exchangeV2.toLowerCase()) return false
  } catch {
    // not a Polymarket chain: the exchange is unknown
  }
  return undefined
}

export function orderFromTypedData(view: TypedDataView): PolymarketOrderView {
  const m = view.message
  const chainId = view.domain.chainId
  const exchange = view.domain.verifyingContract
  if (chainId === undefined || chainId > BigInt(Number.MAX_SAFE_INTEGER) || exchange === undefined) return undecodable('a Polymarket order domain has a chainId and a verifyingContract')
  const side = readUint(ownField(m, 'side'), 'order.side', 8)
  if (side > 1n) return undecodable('order.side is neither 0 (BUY) nor 1 (SELL)')
  const makerAmount = readUint(ownField(m, 'makerAmount'), 'order.makerAmount')
  const takerAmount = readUint(ownField(m, 'takerAmount'), 'order.takerAmount')
  return {
    chainId: Number(chainId),
    exchange,
    negRisk: negRiskOf(Number(chainId), exchange),
    maker: readAddress(ownField(m, 'maker'), 'order.maker'),
    signer: readAddress(ownField(m, 'signer'), 'order.signer'),
    tokenId: readUint(ownField(m, 'tokenId'), 'order.tokenId'),
    side: side === 0n ? 'BUY' : 'SELL',
    signatureType: Number(readUint(ownField(m, 'signatureType'), 'order.signatureType', 8)),
    notional: side === 0n ? makerAmount : takerAmount,
    shares: side === 0n ? takerAmount : makerAmount,
  }
}

export function orderFromRoute(input: RouteOrderInput, chainId: number, wallets: OrderWallets): PolymarketOrderView {
  if (typeof input !== 'object' || input === null) return undecodable('the order is not an object')
  let amounts: { makerAmount: string; takerAmount: string }
  try {
    amounts = limitOrderAmounts({ side: input.side, price: input.price, size: input.size, tickSize: input.tickSize })
  } catch {
    return undecodable('the order amounts do not compute from side, price, size and tick size')
  }
  if (typeof input.negRisk !== 'boolean') return undecodable('negRisk is not a boolean')
  if (typeof input.tokenId !== 'string' || !/^[0-9]{1,78}$/.test(input.tokenId)) return undecodable('tokenId is not a decimal uint256')
  const signatureType = input.signatureType ?? 0
  if (signatureType !== 0 && signatureType !== 1 && signatureType !== 2) return undecodable('signatureType is not 0, 1 or 2')
  const eoa = wallets.eoa ?? undecodable('the user has no Polygon address')
  let maker: string | undefined
  if (signatureType === 0) maker = input.maker === undefined ? eoa : String(input.maker).toLowerCase()
  else if (input.maker !== undefined) maker = readAddress(input.maker, 'order.maker')
  else maker = signatureType === 1 ? wallets.proxyWallet() : wallets.safeWallet()
  if (maker === undefined) return undecodable('the order maker cannot be resolved for this user and chain')
  const makerAmount = BigInt(amounts.makerAmount)
  const takerAmount = BigInt(amounts.takerAmount)
  return {
    chainId,
    exchange: exchangeOf(chainId, input.negRisk),
    negRisk: input.negRisk,
    maker,
    signer: eoa,
    tokenId: BigInt(input.tokenId),
    side: input.side,
    signatureType,
    notional: input.side === 'BUY' ? makerAmount : takerAmount,
    shares: input.side === 'BUY' ? takerAmount : makerAmount,
  }
}
