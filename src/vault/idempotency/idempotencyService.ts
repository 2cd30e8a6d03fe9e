/**
 * `vault.idempotency`: the Idempotency-Key records the HTTP layer keeps per token (rows in
 * store/idempotencyKeys.ts, shared by every instance). The HTTP layer computes the keyed request
 * fingerprint and decides what to reply; the vault only stores and answers.
 */
import type { Store } from '../../store/openStore.ts'
import * as rows from '../../store/idempotencyKeys.ts'

export type { BeginOutcome } from '../../store/idempotencyKeys.ts'

export function createIdempotencyService(store: Store) {
  const db = store.db
  return {
    /** Claims `key` for this request, or says why not (replay, mismatch, busy). */
    begin: (tokenId: string, key: string, fingerprint: string): Promise<rows.BeginOutcome> => rows.beginIdempotent(db, tokenId, key, fingerprint),
    /** Records the reply the client received. */
    complete: (tokenId: string, key: string, statusCode: number, body: string): Promise<void> => rows.completeIdempotent(db, tokenId, key, statusCode, body),
    /** Forgets a claim whose work failed (5xx), so the client may retry. */
    release: (tokenId: string, key: string): Promise<void> => rows.releaseIdempotent(db, tokenId, key),
    /** Deletes records older than 24 h; returns how many. */
    purgeExpired: (): Promise<number> => rows.purgeExpiredIdempotencyKeys(db),
    /** Overwrites fingerprints not made with `keyedPrefix` (older, unkeyed hashes of bodies). */
    redactUnkeyed: (keyedPrefix: string): Promise<number> => rows.redactUnkeyedFingerprints(db, keyedPrefix),
  }
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>
