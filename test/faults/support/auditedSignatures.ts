/** Successful message signatures in the audit trail, per user: what a crashed server must have kept. */
import type { Kysely } from 'kysely'
import type { Database } from '../../../src/store/schema.ts'

export async function auditedSignatures(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(userIds.map((id) => [id, 0]))
  if (userIds.length === 0) return counts
  const rows = await db.selectFrom('audit_log').select(['user_id', 'details']).where('action', '=', 'key.use').where('user_id', 'in', [...userIds]).execute()
  for (const row of rows) {
    const details = JSON.parse(row.details) as { purpose?: string; outcome?: string }
    if (details.purpose === 'sign.message' && details.outcome === 'ok' && row.user_id !== null) counts.set(row.user_id, (counts.get(row.user_id) ?? 0) + 1)
  }
  return counts
}

/** One line per user whose acknowledged signatures outnumber its audited ones (the goal is none). */
export function unauditedSignatures(acknowledged: ReadonlyMap<string, number>, audited: ReadonlyMap<string, number>): string[] {
  const lost: string[] = []
  for (const [userId, count] of acknowledged) {
    const kept = audited.get(userId) ?? 0
    if (kept < count) lost.push(`user ${userId}: ${count} signatures acknowledged, ${kept} in the audit trail`)
  }
  return lost
}
