/** The user a request acts for, as the policy evaluator sees it (addresses from the cached rows; no secret). */
import type { PolicyUser } from '../../policy/policyUser.ts'
import type { VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'

export async function policyUserOf(ctx: VaultContext, ref: UserRef): Promise<PolicyUser> {
  let rows = ctx.rowCache.get(ref)
  if (rows === undefined) {
    rows = await requireUserRows(ctx, ref)
    ctx.rowCache.set(rows)
  }
  const address = (chain: string) => rows.wallets.find((w) => w.chain === chain)?.address
  return { id: rows.user.id, polygonAddress: address('polygon'), solanaAddress: address('solana') }
}
