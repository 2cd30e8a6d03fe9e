/**
 * `coffre polymarket order sign`: a V2 order struct as JSON (integers as decimal strings), a
 * chain and an exchange → { hash, signature }. Only the chain's two V2 exchanges are accepted,
 * so the vault never signs an "order" for an arbitrary contract.
 */
import { getAddress, isAddress, isHex } from 'viem'
import { invalidInput } from '../../errors.ts'
import { chainContracts } from '../contracts.ts'
import type { EvmDigestSigner, Hex } from '../evmSigner.ts'
import { signOrderV2, type OrderV2, type SignatureTypeV2 } from '../orderV2.ts'

export type OrderSignInput = { order: unknown; chainId: string | number; exchange: string }

const uint = (name: string, value: unknown, bits = 256): string => {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || !/^[0-9]{1,78}$/.test(text) || BigInt(text) >= 2n ** BigInt(bits)) throw invalidInput(`order.${name} must be a uint${bits} in decimal`)
  return BigInt(text).toString()
}
const address = (name: string, value: unknown): Hex => {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalidInput(`order.${name} must be an address`)
  return getAddress(value)
}
const bytes32 = (name: string, value: unknown): Hex => {
  if (typeof value !== 'string' || !isHex(value) || value.length !== 66) throw invalidInput(`order.${name} must be 32 bytes of hex`)
  return value
}

export function parseOrderV2(raw: unknown): OrderV2 {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidInput('order must be a JSON object')
  const o = raw as Record<string, unknown>
  const side = o.side === 'BUY' || o.side === 0 || o.side === '0' ? 'BUY' : o.side === 'SELL' || o.side === 1 || o.side === '1' ? 'SELL' : undefined
  if (side === undefined) throw invalidInput('order.side must be BUY, SELL, 0 or 1')
  const signatureType = Number(uint('signatureType', o.signatureType, 8))
  if (signatureType > 2) throw invalidInput('order.signatureType must be 0, 1 or 2')
  return {
    salt: uint('salt', o.salt),
    maker: address('maker', o.maker),
    signer: address('signer', o.signer),
    tokenId: uint('tokenId', o.tokenId),
    makerAmount: uint('makerAmount', o.makerAmount),
    takerAmount: uint('takerAmount', o.takerAmount),
    side,
    signatureType: signatureType as SignatureTypeV2,
    timestamp: uint('timestamp', o.timestamp),
    metadata: bytes32('metadata', o.metadata),
    builder: bytes32('builder', o.builder),
    expiration: o.expiration === undefined ? '0' : uint('expiration', o.expiration),
  }
}

export async function orderSignCommand(signer: EvmDigestSigner, input: OrderSignInput): Promise<{ hash: Hex; signature: Hex }> {
  const chainId = Number(input.chainId)
  const contracts = chainContracts(chainId)
  if (typeof input.exchange !== 'string' || !isAddress(input.exchange, { strict: false })) throw invalidInput('exchange must be an address')
  const exchange = getAddress(input.exchange)
  if (exchange !== contracts.exchangeV2 && exchange !== contracts.negRiskExchangeV2) {
    throw invalidInput('exchange must be the CTF Exchange V2 or the neg-risk CTF Exchange V2 of this chain')
  }
  const order = parseOrderV2(input.order)
  if (order.signer !== signer.address) throw invalidInput('order.signer must be this user\'s address')
  const signed = await signOrderV2(signer, order, chainId, exchange)
  return { hash: signed.hash, signature: signed.order.signature }
}
