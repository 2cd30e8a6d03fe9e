/**
 * CLOB V2 orders: the 11-field EIP-712 `Order` struct, its hash (the CLOB's order id) and
 * its signature. Domain: "Polymarket CTF Exchange", version "2", the chain, and the exchange
 * (neg-risk or not) as verifying contract.
 */
import { typedDataDigest } from '../chain/evm/typedDataHash.ts'
import { compileTypedDataSchema } from '../chain/evm/typedDataSchema.ts'
import type { Address } from './contracts.ts'
import { digestBytes, type EvmDigestSigner, type Hex } from './evmSigner.ts'
import type { Side } from './orderAmounts.ts'

export const BYTES32_ZERO: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000'

export const SignatureType = Object.freeze({ EOA: 0, POLY_PROXY: 1, POLY_GNOSIS_SAFE: 2 } as const)
export type SignatureTypeV2 = 0 | 1 | 2

export const orderV2Types = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const

/** An unsigned V2 order; integers as decimal strings, `timestamp` in milliseconds. */
export type OrderV2 = {
  salt: string
  maker: Address
  signer: Address
  tokenId: string
  makerAmount: string
  takerAmount: string
  side: Side
  signatureType: SignatureTypeV2
  timestamp: string
  metadata: Hex
  builder: Hex
  /** Unix seconds, "0" for none. Sent to the CLOB but not part of the signed struct. */
  expiration: string
}

export type SignedOrderV2 = OrderV2 & { signature: Hex }

export function orderV2TypedData(order: OrderV2, chainId: number, exchange: Address) {
  return {
    domain: { name: 'Polymarket CTF Exchange', version: '2', chainId, verifyingContract: exchange },
    types: orderV2Types,
    primaryType: 'Order' as const,
    message: {
      salt: BigInt(order.salt),
      maker: order.maker,
      signer: order.signer,
      tokenId: BigInt(order.tokenId),
      makerAmount: BigInt(order.makerAmount),
      takerAmount: BigInt(order.takerAmount),
      side: order.side === 'BUY' ? 0 : 1,
      signatureType: order.signatureType,
      timestamp: BigInt(order.timestamp),
      metadata: order.metadata,
      builder: order.builder,
    },
  }
}

/** The Order schema, compiled once by the shared EIP-712 encoder (chain/evm/typedDataSchema.ts). */
const orderSchema = compileTypedDataSchema({
  ...orderV2Types,
  EIP712Domain: [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ],
})
const DECIMAL_UINT = /^[0-9]{1,78}$/

/**
 * The EIP-712 digest of the order: what is signed, and the order id the CLOB returns.
 * Hashed with a precompiled schema and a cached domain separator, because viem's generic
 * hashTypedData costs about a millisecond per call; tests check both agree. Integers must be
 * decimal strings (what the CLOB is sent); a bad field is a RangeError naming it.
 */
export function hashOrderV2(order: OrderV2, chainId: number, exchange: Address): Hex {
  for (const field of ['salt', 'tokenId', 'makerAmount', 'takerAmount', 'timestamp'] as const) {
    const value: unknown = order[field]
    if (typeof value === 'string' ? !DECIMAL_UINT.test(value) : !Number.isSafeInteger(value)) throw new RangeError(`order.${field} must be a decimal string`)
  }
  if (order.side !== 'BUY' && order.side !== 'SELL') throw new RangeError('side must be BUY or SELL')
  const domain = { name: 'Polymarket CTF Exchange', version: '2', chainId, verifyingContract: exchange }
  const message = {
    salt: order.salt,
    maker: order.maker,
    signer: order.signer,
    tokenId: order.tokenId,
    makerAmount: order.makerAmount,
    takerAmount: order.takerAmount,
    side: order.side === 'BUY' ? 0 : 1,
    signatureType: order.signatureType,
    timestamp: order.timestamp,
    metadata: order.metadata,
    builder: order.builder,
  }
  return `0x${Buffer.from(typedDataDigest(orderSchema, domain, 'Order', message)).toString('hex')}`
}

export async function signOrderV2(
  signer: EvmDigestSigner,
  order: OrderV2,
  chainId: number,
  exchange: Address,
): Promise<{ hash: Hex; order: SignedOrderV2 }> {
  if (order.signer.toLowerCase() !== signer.address.toLowerCase()) throw new RangeError('order.signer is not the signing key')
  const hash = hashOrderV2(order, chainId, exchange)
  const signature = await signer.signDigest(digestBytes(hash))
  return { hash, order: { ...order, signature } }
}
