/**
 * What a legacy import has already brought over, so running it again adds nothing: the users of a
 * page of telegram ids with their wallet addresses, the addresses already taken, and the API
 * credentials ever imported or adopted for those users — still in `legacy_api_credentials`, moved
 * into `clob_credentials` (in any state: a revoked key stays revoked), or named by an earlier
 * import's audit entry.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema.ts'

export type PresentUser = { readonly userId: string; readonly polygon: string | undefined; readonly solana: string | undefined }

export async function findPresentUsers(db: Kysely<Database>, telegramUserIds: readonly number[]): Promise<Map<string, PresentUser>> {
  const map = new Map<string, PresentUser>()
  if (telegramUserIds.length === 0) return map
  const users = await db.selectFrom('users').select(['id', 'telegram_user_id']).where('telegram_user_id', 'in', [...telegramUserIds]).execute()
  if (users.length === 0) return map
  const wallets = await db.selectFrom('wallets').select(['user_id', 'chain', 'address']).where('user_id', 'in', users.map((u) => u.id)).execute()
  for (const user of users) {
    const address = (chain: string) => wallets.find((w) => w.user_id === user.id && w.chain === chain)?.address
    map.set(String(user.telegram_user_id), { userId: user.id, polygon: address('polygon'), solana: address('solana') })
  }
  return map
}

export async function findTakenAddresses(db: Kysely<Database>, addresses: readonly string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set()
  const taken = await db.selectFrom('wallets').select('address').where('address', 'in', [...addresses]).execute()
  return new Set(taken.map((t) => t.address))
}

/** `${userId} ${apiKey}` of every API credential these users ever got from an import. */
export async function knownApiCredentials(db: Kysely<Database> | Transaction<Database>, userIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>()
  if (userIds.length === 0) return known
  const ids = [...userIds]
  for (const row of await db.selectFrom('legacy_api_credentials').select(['user_id', 'api_key']).where('user_id', 'in', ids).execute()) known.add(`${row.user_id} ${row.api_key}`)
  for (const row of await db.selectFrom('clob_credentials').select(['user_id', 'api_key']).where('user_id', 'in', ids).execute()) known.add(`${row.user_id} ${row.api_key}`)
  const imported = await db.selectFrom('audit_log').select(['user_id', 'details']).where('action', '=', 'legacy.import-api-credentials').where('user_id', 'in', ids).execute()
  for (const entry of imported) {
    const apiKey = (JSON.parse(entry.details) as { apiKey?: unknown }).apiKey
    if (typeof apiKey === 'string') known.add(`${entry.user_id} ${apiKey}`)
  }
  return known
}

export type QuarantineRow = { readonly telegramUserId: string; readonly field: string; readonly reason: string }

/** Records (or updates) why a legacy value was not imported — the field and the reason, never the value. */
export async function recordQuarantine(db: Kysely<Database>, source: string, rows: readonly QuarantineRow[], at: string): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('legacy_import_quarantine')
    .values(rows.map((q) => ({ source, telegram_user_id: Number(q.telegramUserId), field: q.field, reason: q.reason, at })))
    .onConflict((oc) => oc.columns(['source', 'telegram_user_id', 'field']).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason'), at: eb.ref('excluded.at') })))
    .execute()
}
