/** Where a data-key rotation stands, read from the store while a child process runs it. */
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import { countReferences } from '../../../src/vault/rotation/secretReferences.ts'
import { findActiveDataKey, listDataKeys } from '../../../src/store/dataKeys.ts'
import type { Database } from '../../../src/store/schema.ts'
import { assertCompleted, runChild } from './faultChild.ts'

export const activeDataKeyId = async (db: Kysely<Database>): Promise<string | undefined> => (await findActiveDataKey(db))?.id

/** Every stored secret, over every data key. */
export async function secretsTotal(db: Kysely<Database>): Promise<number> {
  let total = 0
  for (const key of await listDataKeys(db)) total += await countReferences(db, key.id)
  return total
}

/** Progress of a rotation started after `before` was the active key: secrets under the new key, -1 until it exists. */
export function movedToNewKey(db: Kysely<Database>, before: string | undefined): () => Promise<number> {
  return async () => {
    const now = await activeDataKeyId(db)
    return now === undefined || now === before ? -1 : countReferences(db, now)
  }
}

/** `keys rotate-data --if-due` (which always finishes a pending rotation) run to its end; then the rotation must be finished. */
export async function resumeRotation(vaultArgs: readonly string[], db: Kysely<Database>, total: number): Promise<void> {
  const resume = await runChild({ args: [...vaultArgs, 'keys', 'rotate-data', '--if-due', '--json'], watchdogMs: 60_000 }, { kind: 'never' })
  assertCompleted(resume, 'the resumed keys rotate-data --if-due')
  await assertRotationFinished(db, total)
}

/** The rotation finished: no key left draining and all `total` secrets under the active key. */
export async function assertRotationFinished(db: Kysely<Database>, total: number): Promise<void> {
  const keys = await listDataKeys(db)
  assert.deepEqual(keys.filter((k) => k.state === 'decrypt-only').map((k) => k.id), [], 'no key left draining')
  const active = keys.filter((k) => k.state === 'active')
  assert.equal(active.length, 1, 'one active data key')
  assert.equal(await countReferences(db, active[0]!.id), total, 'every secret under the active key')
}
