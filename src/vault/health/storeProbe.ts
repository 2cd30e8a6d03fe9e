/**
 * One probe of the store: a write transaction that changes nothing. On SQLite it begins with
 * BEGIN IMMEDIATE, so it needs the write lock — a write transaction another process holds shows
 * here, not only when a user's write waits on it; on PostgreSQL it needs a pooled connection and a
 * server that answers. The caller bounds it with a timeout (a hung server never answers).
 */
import type { Store } from '../../store/openStore.ts'
import { pingStore } from '../../store/ping.ts'

export async function probeStore(store: Store): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await pingStore(trx)
  })
}
