/** The audit chain's hash: SHA-256 over the previous hash and the row's canonical JSON. */
import { createHash } from 'node:crypto'

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

/** JSON with sorted keys, so equal details always hash equally. */
export function canonicalDetails(details: Readonly<Record<string, unknown>> | undefined): string {
  const source = details ?? {}
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(source).sort()) sorted[key] = source[key]
  return JSON.stringify(sorted)
}
