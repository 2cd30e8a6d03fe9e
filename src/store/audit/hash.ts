/** The audit chain's hash: SHA-256 over the previous hash and the row's canonical JSON. */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../canonicalJson.ts'

export const GENESIS_HASH = '0'.repeat(64)

export type HashedFields = {
  readonly seq: number
  readonly at: string
  readonly action: string
  readonly actor: string
  readonly user_id: string | null
  readonly subject: string | null
  /** The stored JSON text, hashed exactly as stored. */
  readonly details: string
}

export function auditRowHash(prevHash: string, row: HashedFields): string {
  const canonical = JSON.stringify([row.seq, row.at, row.action, row.actor, row.user_id, row.subject, row.details])
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex')
}

/** JSON with sorted keys (canonicalJson.ts), so equal details are always stored, and hashed, equally. */
export function canonicalDetails(details: Readonly<Record<string, unknown>> | undefined): string {
  return canonicalJson(details ?? {})
}
