/**
 * The only way vault code touches a private key: decrypt it from its ciphertext row, hand it to
 * `use`, wipe it, and release the result only after the key-use audit entry is durable
 * (group-committed). If the audit cannot be written the result is discarded (fail-closed).
 * Ciphertext rows may be cached; decrypted keys never are.
 */
import { CoffreError } from '../../errors.ts'
import type { WalletRow } from '../../store/users.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { DEFAULT_ACTOR } from '../context.ts'
import { identityKeyPlace, walletKeyPlace, type Chain } from '../places.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'

export type KeyUse = { readonly purpose: string; readonly details?: Readonly<Record<string, string | number | boolean>> } & ActionOptions

export type KeyHolder = { readonly userId: string; readonly address: string }

export async function useWalletKey<T>(ctx: VaultContext, ref: UserRef, chain: Chain, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const { user, wallets } = await requireUserRows(ctx, ref)
  const wallet = wallets.find((w: WalletRow) => w.chain === chain)
  if (wallet === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', `user has no ${chain} wallet`)
  const key = await ctx.keyring.decrypt(wallet.private_key_ciphertext, walletKeyPlace(user.id, chain, wallet.address))
  ctx.observer.decrypted?.(`wallet:${chain}`)
  return finishKeyUse(ctx, key, { userId: user.id, address: wallet.address }, `wallet:${chain}`, use, fn)
}

export async function useIdentityKey<T>(ctx: VaultContext, ref: UserRef, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const { user } = await requireUserRows(ctx, ref)
  const key = await ctx.keyring.decrypt(user.identity_private_key_ciphertext, identityKeyPlace(user.id))
  ctx.observer.decrypted?.('identity')
  return finishKeyUse(ctx, key, { userId: user.id, address: user.identity_public_key }, 'identity', use, fn)
}

async function finishKeyUse<T>(ctx: VaultContext, key: Uint8Array, holder: KeyHolder, subject: string, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const record = async (outcome: 'ok' | 'failed') => {
    const entry = { action: 'key.use', actor: use.actor ?? DEFAULT_ACTOR, userId: holder.userId, subject, details: { purpose: use.purpose, outcome, ...use.details } }
    await ctx.audit.append(entry)
    ctx.observer.audited?.('key.use', 1)
    ctx.logger.info({ audit: entry.action, actor: entry.actor, userId: entry.userId, subject, purpose: use.purpose, outcome }, 'audit')
  }
  let result: T
  try {
    result = await fn(key, holder)
  } catch (error) {
    key.fill(0)
    await record('failed')
    throw error
  }
  key.fill(0)
  await record('ok')
  return result
}
