/** `client.polymarket`: a user's CLOB API keys (secrets never leave Coffre) and orders through Coffre's outbox. */
import { dataOf, initOf, type Api } from './call.ts'
import type { CallOptions, OrderStatus, PlaceOrderInput, PolymarketCredential, PolymarketCredentialListing, PolymarketOrder, PolymarketRotation } from './types.ts'

export function polymarketMethods(api: Api) {
  const user = (userId: string) => ({ path: { id: userId } })
  return {
    credentials: {
      /** Creates the user's CLOB API key, or derives it when it exists (L1-signed in Coffre). */
      createOrDerive: (userId: string, input: { nonce?: number } = {}, options?: CallOptions): Promise<PolymarketCredential> =>
        dataOf(api.POST('/v1/users/{id}/polymarket/credentials', { params: user(userId), body: input, ...initOf(options) })),
      /** Stored keys (no secrets) and the keys the CLOB reports. */
      list: (userId: string, options?: CallOptions): Promise<PolymarketCredentialListing> =>
        dataOf(api.GET('/v1/users/{id}/polymarket/credentials', { params: user(userId), ...initOf(options) })),
      /** A new key (next nonce), verified, then the old one deleted. */
      rotate: (userId: string, options?: CallOptions): Promise<PolymarketRotation> =>
        dataOf(api.POST('/v1/users/{id}/polymarket/credentials/rotate', { params: user(userId), ...initOf(options) })),
      /** Deletes `apiKey` at the CLOB and marks it revoked. */
      revoke: (userId: string, apiKey: string, options?: CallOptions): Promise<PolymarketCredential> =>
        dataOf(api.DELETE('/v1/users/{id}/polymarket/credentials/{key}', { params: { path: { id: userId, key: apiKey } }, ...initOf(options) })),
    },
    orders: {
      /** Builds and signs a V2 order, stores it in the outbox and sends it; `status: 'pending'` means Coffre keeps retrying. */
      place: (userId: string, order: PlaceOrderInput, options?: CallOptions): Promise<PolymarketOrder> =>
        dataOf(api.POST('/v1/users/{id}/polymarket/orders', { params: user(userId), body: order, ...initOf(options) })),
      get: (orderHash: string, options?: CallOptions): Promise<PolymarketOrder> =>
        dataOf(api.GET('/v1/polymarket/orders/{hash}', { params: { path: { hash: orderHash } }, ...initOf(options) })),
      async list(query: { userId?: string; status?: OrderStatus; limit?: number } = {}, options?: CallOptions): Promise<PolymarketOrder[]> {
        const { userId, status, limit } = query
        const reply = await dataOf(api.GET('/v1/polymarket/orders', {
          params: { query: { ...(userId === undefined ? {} : { userId }), ...(status === undefined ? {} : { status }), ...(limit === undefined ? {} : { limit: String(limit) }) } },
          ...initOf(options),
        }))
        return reply.orders
      },
    },
  }
}
