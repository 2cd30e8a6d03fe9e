/**
 * Idempotency-Key rows in the database, shared by every instance. `begin` claims a key (or says
 * why not), `complete` records the reply, `release` forgets a claim whose work failed with a 5xx
 * so the client may retry. A claim carries a lease, so a key whose instance died can be taken over.
 */
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
export const IDEMPOTENCY_LEASE_MS = 60 * 1000

export type BeginOutcome =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly statusCode: number; readonly body: string }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'busy' }

export async function beginIdempotent(db: Kysely<Database>, tokenId: string, key: string, requestHash: string, now = Date.now()): Promise<BeginOutcome> {
  const claim = { token_id: tokenId, key, request_hash: requestHash, state: 'pending' as const, status_code: null, response_body: null, created_at: new Date(now).toISOString(), locked_until: new Date(now + IDEMPOTENCY_LEASE_MS).toISOString() }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const inserted = await db.insertInto('idempotency_keys').values(claim).onConflict((oc) => oc.columns(['token_id', 'key']).doNothing()).executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { kind: 'claimed' }
    const row = await db.selectFrom('idempotency_keys').selectAll().where('token_id', '=', tokenId).where('key', '=', key).executeTakeFirst()
    if (row === undefined) continue
    if (Date.parse(row.created_at) + IDEMPOTENCY_TTL_MS < now) {
      await db.deleteFrom('idempotency_keys').where('token_id', '=', tokenId).where('key', '=', key).where('created_at', '=', row.created_at).execute()
      continue
    }
    if (row.request_hash !== requestHash) return { kind: 'mismatch' }
    if (row.state === 'done' && row.status_code !== null && row.response_body !== null) return { kind: 'replay', statusCode: row.status_code, body: row.response_body }
    if (Date.parse(row.locked_until) < now) {
      const taken = await db
        .updateTable('idempotency_keys')
        .set({ locked_until: claim.locked_until })
        .where('token_id', '=', tokenId)
        .where('key', '=', key)
        .where('state', '=', 'pending')
        .where('locked_until', '=', row.locked_until)
        .executeTakeFirst()
      if (taken.numUpdatedRows === 1n) return { kind: 'claimed' }
    }
    return { kind: 'busy' }
  }
  return { kind: 'busy' }
}

export async function completeIdempotent(db: Kysely<Database>, tokenId: string, key: string, statusCode: number, body: string): Promise<void> {
  await db.updateTable('idempotency_keys').set({ state: 'done', status_code: statusCode, response_body: body }).where('token_id', '=', tokenId).where('key', '=', key).execute()
}

export async function releaseIdempotent(db: Kysely<Database>, tokenId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('token_id', '=', tokenId).where('key', '=', key).where('state', '=', 'pending').execute()
}

export async function purgeExpiredIdempotencyKeys(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now - IDEMPOTENCY_TTL_MS).toISOString()).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Rows written before fingerprints were keyed hold an unkeyed SHA-256 of a body that may contain a
 * mnemonic: overwrite it. Such a row then matches no request (a retry with its key gets 422, the
 * work is never redone) and expires with the others.
 */
export async function redactUnkeyedFingerprints(db: Kysely<Database>, keyedPrefix: string): Promise<number> {
  const result = await db.updateTable('idempotency_keys').set({ request_hash: 'redacted' }).where('request_hash', 'not like', `${keyedPrefix}%`).where('request_hash', '!=', 'redacted').executeTakeFirst()
  return Number(result.numUpdatedRows)
}
