/**
 * The JSON body of POST /order, field for field and in the order the official client sends it
 * (`orderToJsonV2`): the salt as a JSON number, side as "BUY"/"SELL", owner = the API key.
 * The serialized string is what the L2 HMAC signs and what goes on the wire, byte for byte.
 */
import { invalidInput } from '../errors.ts'
import type { OrderType } from './buildOrderV2.ts'
import type { SignedOrderV2 } from './orderV2.ts'

export type OrderPayload = {
  deferExec: boolean
  postOnly: boolean
  order: {
    salt: number
    maker: string
    signer: string
    tokenId: string
    makerAmount: string
    takerAmount: string
    side: string
    signatureType: number
    timestamp: string
    expiration: string
    metadata: string
    builder: string
    signature: string
  }
  owner: string
  orderType: OrderType
}

const orderTypes: readonly string[] = ['GTC', 'FOK', 'GTD', 'FAK']

export function orderPayloadV2(
  order: SignedOrderV2,
  owner: string,
  orderType: OrderType,
  options: { postOnly?: boolean; deferExec?: boolean } = {},
): OrderPayload {
  if (typeof owner !== 'string' || owner === '') throw invalidInput('owner must be the API key')
  if (!orderTypes.includes(orderType)) throw invalidInput('orderType must be GTC, FOK, GTD or FAK')
  const postOnly = options.postOnly ?? false
  if (postOnly && (orderType === 'FOK' || orderType === 'FAK')) throw invalidInput('postOnly is not supported for FOK/FAK orders')
  if (orderType === 'GTD' && order.expiration === '0') throw invalidInput('a GTD order needs an expiration')
  return {
    deferExec: options.deferExec ?? false,
    postOnly,
    order: {
      salt: parseInt(order.salt, 10),
      maker: order.maker,
      signer: order.signer,
      tokenId: order.tokenId,
      makerAmount: order.makerAmount,
      takerAmount: order.takerAmount,
      side: order.side,
      signatureType: order.signatureType,
      timestamp: order.timestamp,
      expiration: order.expiration,
      metadata: order.metadata,
      builder: order.builder,
      signature: order.signature,
    },
    owner,
    orderType,
  }
}

export function serializeOrderPayload(payload: OrderPayload): string {
  return JSON.stringify(payload)
}
