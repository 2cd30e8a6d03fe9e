/**
 * From a trader's intent (token, side, price, size or amount, tick size, neg-risk) to a signed
 * V2 order, its hash and the exchange it targets. Maker/signer rules: EOA (0) trades from the
 * signer itself; POLY_PROXY (1) and POLY_GNOSIS_SAFE (2) trade from the signer's proxy or Safe
 * (derived with CREATE2 unless `maker` is given), signed by the owning EOA.
 */
import { getAddress, isAddress, isHex } from 'viem'
import { invalidInput } from '../errors.ts'
import { exchangeAddress, type Address } from './contracts.ts'
import type { EvmDigestSigner, Hex } from './evmSigner.ts'
import { limitOrderAmounts, marketOrderAmounts, type OrderAmounts, type Side, type TickSize } from './orderAmounts.ts'
import { randomOrderSalt } from './orderSalt.ts'
import { BYTES32_ZERO, signOrderV2, type OrderV2, type SignatureTypeV2, type SignedOrderV2 } from './orderV2.ts'
import { proxyWalletAddress, safeWalletAddress } from './walletAddresses.ts'

export type OrderType = 'GTC' | 'FOK' | 'GTD' | 'FAK'

type CommonOrderArgs = {
  tokenId: string
  side: Side
  price: number
  tickSize: TickSize
  negRisk: boolean
  chainId: number
  signatureType?: SignatureTypeV2
  /** Proxy or Safe address for signature types 1 and 2 (derived when absent). */
  maker?: string
  /** Unix seconds; GTD orders only. */
  expiration?: number
  metadata?: Hex
  builderCode?: Hex
  /** Fixed salt / millisecond timestamp, for reproducible orders (tests, oracles). */
  salt?: string
  timestamp?: number
}

export type LimitOrderArgs = CommonOrderArgs & { size: number }
export type MarketOrderArgs = CommonOrderArgs & { amount: number }

export type BuiltOrder = { hash: Hex; exchange: Address; order: SignedOrderV2 }

function resolveMaker(signer: Address, args: CommonOrderArgs): { maker: Address; signatureType: SignatureTypeV2 } {
  const signatureType = args.signatureType ?? 0
  if (signatureType === 0) {
    if (args.maker !== undefined && args.maker.toLowerCase() !== signer.toLowerCase()) throw invalidInput('an EOA order is made by its signer')
    return { maker: signer, signatureType }
  }
  if (signatureType !== 1 && signatureType !== 2) throw invalidInput('signatureType must be 0 (EOA), 1 (POLY_PROXY) or 2 (POLY_GNOSIS_SAFE)')
  if (args.maker !== undefined) {
    if (typeof args.maker !== 'string' || !isAddress(args.maker, { strict: false })) throw invalidInput('maker must be an EVM address')
    return { maker: getAddress(args.maker), signatureType }
  }
  const maker = signatureType === 1 ? proxyWalletAddress(signer, args.chainId) : safeWalletAddress(signer, args.chainId)
  return { maker, signatureType }
}

function checkCommon(args: CommonOrderArgs): void {
  if (args === null || typeof args !== 'object') throw new TypeError('order arguments must be an object')
  if (typeof args.tokenId !== 'string' || !/^[0-9]{1,78}$/.test(args.tokenId) || BigInt(args.tokenId) >= 2n ** 256n) {
    throw invalidInput('tokenId must be a uint256 in decimal')
  }
  if (typeof args.negRisk !== 'boolean') throw invalidInput('negRisk must be a boolean')
  for (const [name, value] of [['metadata', args.metadata], ['builderCode', args.builderCode]] as const) {
    if (value !== undefined && !(isHex(value) && value.length === 66)) throw invalidInput(`${name} must be 32 bytes of hex`)
  }
  if (args.expiration !== undefined && (!Number.isSafeInteger(args.expiration) || args.expiration < 0)) {
    throw invalidInput('expiration must be unix seconds')
  }
  if (args.salt !== undefined && !(typeof args.salt === 'string' && /^[0-9]{1,16}$/.test(args.salt) && Number.isSafeInteger(Number(args.salt)))) {
    throw invalidInput('salt must be a safe integer in decimal')
  }
  if (args.timestamp !== undefined && (!Number.isSafeInteger(args.timestamp) || args.timestamp < 0)) {
    throw invalidInput('timestamp must be unix milliseconds')
  }
}

async function assemble(signer: EvmDigestSigner, args: CommonOrderArgs, amounts: OrderAmounts): Promise<BuiltOrder> {
  const { maker, signatureType } = resolveMaker(signer.address, args)
  const exchange = exchangeAddress(args.chainId, args.negRisk)
  const order: OrderV2 = {
    salt: args.salt ?? randomOrderSalt(),
    maker,
    signer: signer.address,
    tokenId: args.tokenId,
    makerAmount: amounts.makerAmount,
    takerAmount: amounts.takerAmount,
    side: args.side,
    signatureType,
    timestamp: String(args.timestamp ?? Date.now()),
    metadata: args.metadata ?? BYTES32_ZERO,
    builder: args.builderCode ?? BYTES32_ZERO,
    expiration: String(args.expiration ?? 0),
  }
  const signed = await signOrderV2(signer, order, args.chainId, exchange)
  return { hash: signed.hash, exchange, order: signed.order }
}

export async function buildLimitOrderV2(signer: EvmDigestSigner, args: LimitOrderArgs): Promise<BuiltOrder> {
  checkCommon(args)
  return assemble(signer, args, limitOrderAmounts(args))
}

export async function buildMarketOrderV2(signer: EvmDigestSigner, args: MarketOrderArgs): Promise<BuiltOrder> {
  checkCommon(args)
  return assemble(signer, args, marketOrderAmounts(args))
}
