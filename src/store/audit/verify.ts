/**
 * Walks the audit chain in order and reports the first broken link: a modified row (hash
 * mismatch), a deleted or reordered row (sequence gap or wrong previous hash), or a truncated tail
 * (the head row names a later entry than the last one found).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'
import { auditRowHash, GENESIS_HASH } from './hash.ts'

export type AuditVerification = {
  readonly ok: boolean
  readonly entries: number
  readonly firstBrokenEntry?: number
  readonly reason?: string
}

export async function verifyAuditChain(db: Kysely<Database>, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5_000
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let entries = 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute()
    for (const row of page) {
      const broken = (reason: string): AuditVerification => ({ ok: false, entries, firstBrokenEntry: expectedSeq, reason })
      if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing (next is ${row.seq})`)
      if (row.prev_hash !== prevHash) return broken(`entry ${row.seq} does not link to the previous entry`)
      if (auditRowHash(prevHash, row) !== row.hash) return broken(`entry ${row.seq} was modified`)
      prevHash = row.hash
      expectedSeq += 1
      entries += 1
    }
    if (page.length < pageSize) break
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  if (head === undefined) return { ok: false, entries, firstBrokenEntry: expectedSeq, reason: 'the audit head row is missing' }
  if (head.seq !== entries || head.hash !== prevHash) {
    return { ok: false, entries, firstBrokenEntry: Math.min(head.seq, expectedSeq), reason: `the chain ends at entry ${entries} but the head names entry ${head.seq}` }
  }
  return { ok: true, entries }
}
