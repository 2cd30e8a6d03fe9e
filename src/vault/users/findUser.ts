/** Resolves a user reference (id, telegram id or address) to its rows, or COFFRE_NOT_FOUND. */
import { getAddress } from 'viem'
import { CoffreError, invalidInput } from '../../errors.ts'
import { findUserByAddress, findUserById, findUserByTelegramId, findWallets, type UserWithWallets } from '../../store/users.ts'
import type { VaultContext } from '../context.ts'
import { parseTelegramUserId, parseUserId } from './userInput.ts'

import type { UserRef } from './userRef.ts'

export type { UserRef }

export async function findUserRows(ctx: VaultContext, ref: UserRef): Promise<UserWithWallets | undefined> {
  const db = ctx.store.db
  let user
  if (typeof ref !== 'object' || ref === null) throw invalidInput('user reference must be { id }, { telegramUserId } or { address }')
  if ('id' in ref) user = await findUserById(db, parseUserId(ref.id))
  else if ('telegramUserId' in ref) user = await findUserByTelegramId(db, parseTelegramUserId(ref.telegramUserId))
  else if ('address' in ref && typeof ref.address === 'string' && ref.address.length > 0 && ref.address.length <= 64) user = await findUserByAddress(db, normaliseAddress(ref.address))
  else throw invalidInput('user reference must be { id }, { telegramUserId } or { address }')
  if (user === undefined) return undefined
  return authenticUserRows(ctx, { user, wallets: await findWallets(db, [user.id]) })
}

/** A user's rows as read, once each authenticates (COFFRE_INTEGRITY_FAILED otherwise: a swapped telegram id, a moved wallet). */
export function authenticUserRows(ctx: VaultContext, rows: UserWithWallets): UserWithWallets {
  ctx.integrity.require('users', rows.user)
  for (const wallet of rows.wallets) ctx.integrity.require('wallets', wallet)
  return rows
}

export async function requireUserRows(ctx: VaultContext, ref: UserRef): Promise<UserWithWallets> {
  const found = await findUserRows(ctx, ref)
  if (found === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'no such user')
  return found
}

/** The user's rows from the vault's row cache, else from the store (then cached); `fresh` says which. */
export async function cachedUserRows(ctx: VaultContext, ref: UserRef): Promise<{ readonly rows: UserWithWallets; readonly fresh: boolean }> {
  const cached = ctx.rowCache.get(ref)
  if (cached !== undefined) return { rows: cached, fresh: false }
  const rows = await requireUserRows(ctx, ref)
  ctx.rowCache.set(rows)
  return { rows, fresh: true }
}

/** EVM addresses are stored EIP-55; a lowercase or uppercase query still finds them. */
function normaliseAddress(address: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(address)) return getAddress(address)
  return address
}
