/** `client.chain`: a user's balances on Polygon and Solana. */
import { dataOf, initOf, type Api } from './call.ts'
import type { CallOptions, UserBalances } from './types.ts'

export function chainMethods(api: Api) {
  const user = (userId: string) => ({ path: { id: userId } })
  return {
    /** POL, pUSD, USDC.e and SOL, SPL USDC (integer strings in base units), with the block and slot they were read at. */
    balances: (userId: string, options?: CallOptions): Promise<UserBalances> =>
      dataOf(api.GET('/v1/users/{id}/balances', { params: user(userId), ...initOf(options) })),
  }
}
