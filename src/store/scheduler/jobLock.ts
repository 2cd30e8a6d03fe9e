/**
 * One runner at a time across instances: on PostgreSQL a session advisory lock
 * (`pg_try_advisory_lock`, released on unlock or when the connection dies); on SQLite a lease row
 * that expires, so a killed holder does not block the job for ever.
 */
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'

export type LockedRun<T> = { readonly ran: true; readonly result: T } | { readonly ran: false }

/** A stable signed 64-bit advisory-lock key for a job name. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(`coffre-job:${name}`).digest().readBigInt64BE(0).toString()
}

export async function withJobLock<T>(db: Kysely<Database>, dialect: StoreDialect, name: string, holder: string, leaseMs: number, fn: () => Promise<T>): Promise<LockedRun<T>> {
  if (dialect === 'postgres') {
    return db.connection().execute(async (conn) => {
      const key = advisoryKey(name)
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}::bigint) as locked`.execute(conn)
      if (rows[0]?.locked !== true) return { ran: false }
      try {
        return { ran: true, result: await fn() }
      } finally {
        await sql`select pg_advisory_unlock(${key}::bigint)`.execute(conn)
      }
    })
  }
  if (!(await takeLease(db, name, holder, leaseMs))) return { ran: false }
  try {
    return { ran: true, result: await fn() }
  } finally {
    await db.deleteFrom('scheduler_leases').where('name', '=', name).where('holder', '=', holder).execute()
  }
}

async function takeLease(db: Kysely<Database>, name: string, holder: string, leaseMs: number): Promise<boolean> {
  const now = new Date()
  const expires = new Date(now.getTime() + leaseMs).toISOString()
  return db.transaction().execute(async (trx) => {
    const lease = await trx.selectFrom('scheduler_leases').selectAll().where('name', '=', name).executeTakeFirst()
    if (lease === undefined) {
      await trx.insertInto('scheduler_leases').values({ name, holder, expires_at: expires }).execute()
      return true
    }
    if (lease.holder !== holder && lease.expires_at > now.toISOString()) return false
    await trx.updateTable('scheduler_leases').set({ holder, expires_at: expires }).where('name', '=', name).execute()
    return true
  })
}
