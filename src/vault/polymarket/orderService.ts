/**
 * vault.polymarket.orders: place a V2 limit order for a user — amounts with the official
 * rounding, built and signed inside one useWalletKey (one decrypt per order), the exact POST
 * /order body written to the durable outbox before anything is sent — then send it now or
 * leave it to the background sender. Statuses and the CLOB's error text are read back by hash.
 */
import { invalidInput } from '../../errors.ts'
import { buildLimitOrderV2, type BuiltOrder, type OrderType } from '../../polymarket/buildOrderV2.ts'
import type { Hex } from '../../polymarket/evmSigner.ts'
import { limitOrderAmounts, type Side, type TickSize } from '../../polymarket/orderAmounts.ts'
import type { OrderOutboxStore, OutboxStatus } from '../../store/orderOutbox.ts'

export type { OutboxStatus } from '../../store/orderOutbox.ts'
import { orderPayloadV2, serializeOrderPayload } from '../../polymarket/orderPayload.ts'
import type { createOrderSender } from '../../polymarket/orderSender.ts'
import type { SignatureTypeV2 } from '../../polymarket/orderV2.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { useWalletKey } from '../keys/useKey.ts'
import { authorize, type Authorized } from '../policies/authorize.ts'
import { findUserRows, type UserRef } from '../users/findUser.ts'
import type { CredentialService } from './credentialService.ts'
import { toOrderInfo, type OrderInfo } from './orderInfo.ts'
import type { ResolvedPolymarketConfig } from './options.ts'
import { heldKeySigner } from './vaultSigner.ts'

export type PlaceOrderInput = {
  readonly tokenId: string
  readonly side: Side
  readonly price: number
  /** Shares. */
  readonly size: number
  readonly tickSize: TickSize
  readonly negRisk: boolean
  readonly orderType?: OrderType
  /** Unix seconds; GTD orders only. */
  readonly expiration?: number
  readonly signatureType?: SignatureTypeV2
  /** Proxy or Safe for signature types 1 and 2 (derived when absent). */
  readonly maker?: string
  readonly postOnly?: boolean
  readonly deferExec?: boolean
  readonly metadata?: Hex
  readonly builderCode?: Hex
}

export type PlaceOptions = ActionOptions & {
  /** Try to send before returning (default true); false leaves it to the background sender. */
  readonly send?: boolean
}

const ORDER_TYPES: readonly string[] = ['GTC', 'FOK', 'GTD', 'FAK']
const HASH = /^0x[0-9a-fA-F]{64}$/
const STATUSES: readonly string[] = ['pending', 'sent', 'failed']

export type OrderDeps = {
  readonly ctx: VaultContext
  readonly config: ResolvedPolymarketConfig
  readonly credentials: CredentialService
  readonly store: OrderOutboxStore
  readonly sender: () => ReturnType<typeof createOrderSender>
}

function checkPlacement(input: PlaceOrderInput): OrderType {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidInput('order must be an object')
  const orderType = input.orderType ?? 'GTC'
  if (!ORDER_TYPES.includes(orderType)) throw invalidInput('orderType must be GTC, FOK, GTD or FAK')
  if (input.postOnly !== undefined && typeof input.postOnly !== 'boolean') throw invalidInput('postOnly must be a boolean')
  if (input.deferExec !== undefined && typeof input.deferExec !== 'boolean') throw invalidInput('deferExec must be a boolean')
  if (input.postOnly === true && (orderType === 'FOK' || orderType === 'FAK')) throw invalidInput('postOnly is not supported for FOK/FAK orders')
  if (orderType === 'GTD' && (input.expiration === undefined || input.expiration === 0)) throw invalidInput('a GTD order needs an expiration')
  if (orderType !== 'GTD' && input.expiration !== undefined && input.expiration !== 0) throw invalidInput('only GTD orders carry an expiration')
  if (typeof input.tokenId !== 'string' || !/^[0-9]{1,78}$/.test(input.tokenId)) throw invalidInput('tokenId must be a uint256 in decimal')
  if (typeof input.negRisk !== 'boolean') throw invalidInput('negRisk must be a boolean')
  // Price, size, side and tick size are checked before the key is decrypted for nothing.
  limitOrderAmounts({ side: input.side, price: input.price, size: input.size, tickSize: input.tickSize })
  return orderType
}

export function createOrderService(deps: OrderDeps) {
  const { ctx, config, credentials, store } = deps

  /** The caller's signing policy judges the order (as the route gives it) before any key or credential is used. */
  const authorizeOrder = (ref: UserRef, input: PlaceOrderInput, options: ActionOptions) => authorize(ctx, options, ref, { operation: 'polymarket.order', chainId: config.chainId, order: input })

  async function signFor(ref: UserRef, input: PlaceOrderInput, actor: string, authorized: Authorized): Promise<BuiltOrder> {
    const use = { purpose: 'polymarket.order', actor, authorized, details: { tokenId: String(input.tokenId).slice(0, 80), side: String(input.side) } }
    const built = await useWalletKey(ctx, ref, 'polygon', use, (privateKey, wallet) =>
      buildLimitOrderV2(heldKeySigner(privateKey, wallet.address), {
        tokenId: input.tokenId, side: input.side, price: input.price, size: input.size, tickSize: input.tickSize, negRisk: input.negRisk, chainId: config.chainId,
        ...(input.signatureType === undefined ? {} : { signatureType: input.signatureType }),
        ...(input.maker === undefined ? {} : { maker: input.maker }),
        ...(input.expiration === undefined ? {} : { expiration: input.expiration }),
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
        ...(input.builderCode === undefined ? {} : { builderCode: input.builderCode }),
      }),
    )
    ctx.observer.signed?.('polymarket.order')
    return built
  }

  async function signOrder(ref: UserRef, input: PlaceOrderInput, options: ActionOptions): Promise<BuiltOrder> {
    checkPlacement(input)
    const authorized = await authorizeOrder(ref, input, options)
    return signFor(ref, input, options.actor ?? DEFAULT_ACTOR, authorized)
  }

  return {
    /** Builds and signs the order with the user's key (one decrypt), without storing or sending it. */
    sign: (ref: UserRef, input: PlaceOrderInput, options: ActionOptions = {}) => signOrder(ref, input, options),

    async place(ref: UserRef, input: PlaceOrderInput, options: PlaceOptions = {}): Promise<OrderInfo> {
      const orderType = checkPlacement(input)
      const actor = options.actor ?? DEFAULT_ACTOR
      const authorized = await authorizeOrder(ref, input, options)
      const holder = await credentials.holderOf(ref)
      const key = await credentials.ensureCurrent(holder, actor)
      const built = await signFor({ id: holder.userId }, input, actor, authorized)
      const payload = orderPayloadV2(built.order, key.api_key, orderType, { ...(input.postOnly === undefined ? {} : { postOnly: input.postOnly }), ...(input.deferExec === undefined ? {} : { deferExec: input.deferExec }) })
      const order = { orderHash: built.hash.toLowerCase(), userId: holder.userId, body: serializeOrderPayload(payload) }
      const row = options.send === false ? (await deps.sender().enqueue(order)).order : await deps.sender().submit(order)
      return toOrderInfo(row)
    },

    async get(orderHash: string): Promise<OrderInfo | null> {
      if (typeof orderHash !== 'string' || !HASH.test(orderHash)) throw invalidInput('orderHash must be a 32-byte hex hash')
      const row = await store.get(orderHash.toLowerCase())
      return row === undefined ? null : toOrderInfo(row)
    },

    async list(args: { userRef?: UserRef; status?: OutboxStatus; limit?: number } = {}): Promise<OrderInfo[]> {
      if (args.status !== undefined && !STATUSES.includes(args.status)) throw invalidInput('status must be pending, sent or failed')
      if (args.limit !== undefined && (!Number.isSafeInteger(args.limit) || args.limit < 1 || args.limit > 10_000)) throw invalidInput('limit must be between 1 and 10000')
      let userId: string | undefined
      if (args.userRef !== undefined) {
        const found = await findUserRows(ctx, args.userRef)
        if (found === undefined) return []
        userId = found.user.id
      }
      const rows = await store.list({ ...(args.status === undefined ? {} : { status: args.status }), ...(userId === undefined ? {} : { userId }), limit: args.limit ?? 1000 })
      return rows.map(toOrderInfo)
    },
  }
}
