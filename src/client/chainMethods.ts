/** `client.chain`: a user's balances on Polygon and Solana, and withdrawals. */
import { dataOf, initOf, type Api } from './call.ts'
import type { ApprovalProgress, CallOptions, UserBalances, Withdrawal, WithdrawalInput } from './types.ts'

export function chainMethods(api: Api) {
  const user = (userId: string) => ({ path: { id: userId } })
  return {
    /** POL, pUSD, USDC.e and SOL, SPL USDC (integer strings in base units), with the block and slot they were read at. */
    balances: (userId: string, options?: CallOptions): Promise<UserBalances> =>
      dataOf(api.GET('/v1/users/{id}/balances', { params: user(userId), ...initOf(options) })),
    /** Sends the user's missing Polymarket trading approvals, each exactly once; `state: 'approved'` when none is missing. */
    approvePolymarket: (userId: string, options?: CallOptions): Promise<ApprovalProgress> =>
      dataOf(api.POST('/v1/users/{id}/polymarket/approvals', { params: user(userId), ...initOf(options) })),
    withdrawals: {
      /** Sends funds out (authorised, signed, stored before broadcast, sent once); pass an idempotency key to retry safely. */
      create: (userId: string, input: WithdrawalInput, options?: CallOptions): Promise<Withdrawal> =>
        dataOf(api.POST('/v1/users/{id}/withdrawals', { params: user(userId), body: input, ...initOf(options) })),
      /** Where a withdrawal stands: pending, sent, confirmed or failed. */
      get: (withdrawalId: string, options?: CallOptions): Promise<Withdrawal> =>
        dataOf(api.GET('/v1/withdrawals/{id}', { params: { path: { id: withdrawalId } }, ...initOf(options) })),
    },
  }
}
