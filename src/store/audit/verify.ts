/**
 * Walks the audit chain in order and reports the first broken link: a modified row (hash
 * mismatch), a deleted or reordered row (sequence gap or wrong previous hash), or a truncated tail
 * (the head row names a later entry than the last one found).
 *
 * `verifyAuditChain` reads the whole chain (`coffre audit verify`, admins, the scheduler's daily
 * job). `verifyAuditChainFrom` continues from a checkpoint (the last verified seq and hash, kept in
 * memory by whoever verified it): it re-reads the checkpoint row, walks only newer entries and
 * compares with the head, so a periodic check costs O(new entries). It also sees a chain rolled
 * back behind the checkpoint (a restored backup), which a full walk alone cannot.
 *
 * The head is read before the walk: entries at or below it are committed, so entries appended
 * while the walk runs are checked as links but never taken for a truncation.
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

/** The last verified entry: its sequence number and hash (seq 0 and the genesis hash before any). */
export type AuditCheckpoint = { readonly seq: number; readonly hash: string }

export const GENESIS_CHECKPOINT: AuditCheckpoint = { seq: 0, hash: GENESIS_HASH }

export async function verifyAuditChain(db: Kysely<Database>, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  return (await verifyAuditChainFrom(db, null, options)).result
}

export async function verifyAuditChainFrom(
  db: Kysely<Database>,
  from: AuditCheckpoint | null,
  options: { pageSize?: number } = {},
): Promise<{ result: AuditVerification; checkpoint: AuditCheckpoint }> {
  const pageSize = options.pageSize ?? 5_000
  const start = from ?? GENESIS_CHECKPOINT
  const readHead = () => db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  const head = await readHead()
  let expectedSeq = start.seq + 1
  let prevHash = start.hash
  const broken = (firstBrokenEntry: number, reason: string) => ({ result: { ok: false, entries: expectedSeq - 1, firstBrokenEntry, reason }, checkpoint: start })
  if (head === undefined) return broken(expectedSeq, 'the audit head row is missing')
  if (start.seq > 0) {
    if (head.seq < start.seq) return broken(head.seq + 1, `the chain was rolled back: the head names entry ${head.seq}, before entry ${start.seq} already verified`)
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', start.seq).executeTakeFirst()
    if (row === undefined) return broken(start.seq, `entry ${start.seq} is missing (it was verified before)`)
    if (row.hash !== start.hash || auditRowHash(row.prev_hash, row) !== start.hash) return broken(start.seq, `entry ${start.seq} changed since it was verified`)
  }
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute()
    for (const row of page) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing (next is ${row.seq})`)
      if (row.prev_hash !== prevHash) return broken(expectedSeq, `entry ${row.seq} does not link to the previous entry`)
      if (auditRowHash(prevHash, row) !== row.hash) return broken(expectedSeq, `entry ${row.seq} was modified`)
      prevHash = row.hash
      expectedSeq += 1
    }
    if (page.length < pageSize) break
  }
  const last = expectedSeq - 1
  if (last < head.seq) return broken(Math.min(head.seq, expectedSeq), `the chain ends at entry ${last} but the head names entry ${head.seq}`)
  // Entries past the head read first were appended during the walk; the head must have followed.
  const end = last === head.seq ? head : await readHead()
  if (end === undefined || end.seq < last) return broken(end === undefined ? expectedSeq : end.seq + 1, `entries past the head: the chain ends at entry ${last} but the head names entry ${end?.seq ?? 'none'}`)
  if (end.seq === last && end.hash !== prevHash) return broken(last, `the head's hash does not match entry ${last}`)
  return { result: { ok: true, entries: last }, checkpoint: { seq: last, hash: prevHash } }
}
