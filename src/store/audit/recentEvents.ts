/** The latest audit events, newest first, without details (what a status page may show). */
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'

export type RecentAuditEvent = { readonly seq: number; readonly at: string; readonly action: string; readonly actor: string; readonly subject: string | null }

export async function recentAuditEvents(db: Kysely<Database>, limit: number): Promise<RecentAuditEvent[]> {
  const rows = await db.selectFrom('audit_log').select(['seq', 'at', 'action', 'actor', 'subject']).orderBy('seq', 'desc').limit(limit).execute()
  return rows.map((e) => ({ seq: Number(e.seq), at: e.at, action: e.action, actor: e.actor, subject: e.subject }))
}
