/** Cursor pagination over users by id (UUIDv7: creation time to the millisecond, random within one); the cursor is opaque to callers. */
import { invalidInput } from '../../errors.ts'
import { UUID_PATTERN } from '../../ids.ts'
import { findWallets, listUsers as listUserRows } from '../../store/users.ts'
import type { VaultContext } from '../context.ts'
import { toUser, type User } from './user.ts'

export type ListUsersOptions = { readonly cursor?: string; readonly limit?: number }
export type UserPage = { readonly users: User[]; readonly nextCursor: string | null }

export const MAX_PAGE_SIZE = 500

export async function listUsers(ctx: VaultContext, options: ListUsersOptions = {}): Promise<UserPage> {
  const limit = options.limit ?? 50
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw invalidInput(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`)
  const afterId = options.cursor === undefined ? undefined : decodeCursor(options.cursor)
  const rows = await listUserRows(ctx.store.db, { limit: limit + 1, ...(afterId === undefined ? {} : { afterId }) })
  const page = rows.slice(0, limit)
  const wallets = await findWallets(ctx.store.db, page.map((r) => r.id))
  const last = page.at(-1)
  return { users: page.map((row) => toUser(row, wallets)), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null }
}

const encodeCursor = (id: string): string => Buffer.from(`u:${id}`).toString('base64url')

function decodeCursor(cursor: string): string {
  const text = typeof cursor === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : ''
  const id = text.startsWith('u:') ? text.slice(2) : ''
  if (!UUID_PATTERN.test(id)) throw invalidInput('cursor is not valid')
  return id
}
