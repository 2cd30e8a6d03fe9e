/** The user a request acts for, as the policy evaluator sees it (addresses from the cached rows; no secret). */
import type { PolicyUser } from '../../policy/policyUser.ts'
import type { VaultContext } from '../context.ts'
import { cachedUserRows, type UserRef } from '../users/findUser.ts'

export async function policyUserOf(ctx: VaultContext, ref: UserRef): Promise<PolicyUser> {
  const { rows } = await cachedUserRows(ctx, ref)
  const address = (chain: string) => rows.wallets.find((w) => w.chain === chain)?.address
  return { id: rows.user.id, polygonAddress: address('polygon'), solanaAddress: address('solana') }
}
