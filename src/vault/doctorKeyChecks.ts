/**
 * Doctor checks for what a crash, a bug or a database writer leaves behind in the keyring and the
 * user rows: a missing active data key, data keys whose creation was never audited, secrets that
 * name a missing or retired key, a rotation that stopped half-way, and generated users whose
 * mnemonic ciphertext is gone.
 */
import { listDataKeys } from '../store/dataKeys.ts'
import { dataKeysWithoutCreationEntry, generatedUsersWithoutMnemonic, secretsPerDataKey } from '../store/integrityQueries.ts'
import { readRotationProgress } from './rotation/rotationStatus.ts'
import type { VaultContext } from './context.ts'

export type CheckResult = { readonly ok: boolean; readonly detail: string; readonly failures?: readonly string[] }

/** A rotation with no committed batch for this long is reported as stuck. */
export const STUCK_ROTATION_MS = 10 * 60_000
const LISTED = 100

const result = (failures: string[], detail: string): CheckResult => ({ ok: failures.length === 0, detail: failures.length === 0 ? detail : `${detail}; ${failures.length} problem(s): ${failures.slice(0, 3).join('; ')}`, ...(failures.length ? { failures: failures.slice(0, LISTED) } : {}) })

/** One active key, every key's creation audited; with `census`, every stored secret names a live key. */
export async function checkDataKeys(ctx: VaultContext, census: boolean): Promise<CheckResult> {
  const { db, dialect } = ctx.store
  const keys = await listDataKeys(db)
  const failures: string[] = []
  const byState = (state: string) => keys.filter((k) => k.state === state).length
  if (byState('active') === 0) failures.push('no active data key: its row was deleted or the database was altered; writes are refused until `coffre keys rotate-data` makes a new one')
  for (const id of await dataKeysWithoutCreationEntry(db)) failures.push(`data key ${id} has no audit entry for its creation (written outside Coffre?)`)
  if (census) {
    for (const [id, n] of await secretsPerDataKey(db, dialect)) {
      const key = keys.find((k) => k.id === id)
      if (key === undefined) failures.push(`${n} stored secret(s) name data key ${id}, which does not exist`)
      else if (key.state === 'retired') failures.push(`${n} stored secret(s) name data key ${id}, which is retired`)
    }
  }
  return result(failures, `${keys.length} data keys: ${byState('active')} active, ${byState('decrypt-only')} decrypt-only, ${byState('retired')} retired`)
}

/** A rotation left half-way: reported while it moves, a failure once it has not moved for `stuckAfterMs`. */
export async function checkRotation(ctx: VaultContext, now: Date, stuckAfterMs = STUCK_ROTATION_MS): Promise<CheckResult> {
  const open = (await readRotationProgress(ctx.store.db)).filter((p) => p.finishedAt === null && p.state === 'decrypt-only')
  const failures: string[] = []
  const moving: string[] = []
  for (const p of open) {
    const idle = now.getTime() - Date.parse(p.updatedAt)
    const what = `rotation off data key ${p.dataKeyId}: ${p.doneRows}/${p.totalRows} secrets re-encrypted, last progress ${p.updatedAt}`
    if (idle >= stuckAfterMs) failures.push(`${what} — stuck (partial); run \`coffre keys rotate-data\` to finish it`)
    else moving.push(what)
  }
  if (open.length === 0) return { ok: true, detail: 'no rotation in progress' }
  return result(failures, moving.length > 0 ? `in progress: ${moving.join('; ')}` : `${open.length} unfinished rotation(s)`)
}

/** Every generated user still has its mnemonic ciphertext (only bare-key imports have none). */
export async function checkGeneratedUsers(ctx: VaultContext): Promise<CheckResult> {
  const missing = await generatedUsersWithoutMnemonic(ctx.store.db, LISTED)
  const failures = missing.map((u) => `generated user ${u.id} (telegram ${u.telegramUserId}) has no mnemonic ciphertext`)
  return result(failures, 'every generated user has its mnemonic ciphertext')
}
