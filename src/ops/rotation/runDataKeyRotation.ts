/**
 * `coffre keys rotate-data`: makes a new active data key (unless a previous rotation is still
 * draining, which it then finishes), re-encrypts every secret under it in batches while the vault
 * stays online, and retires the old keys once nothing references them. Resumable: a killed run
 * loses only its uncommitted batch, and running again continues where the committed batches left off.
 */
import { appendAuditEntries } from '../../store/audit/append.ts'
import { listDataKeys } from '../../store/dataKeys.ts'
import { drainDataKey, type DrainOptions } from './drainDataKey.ts'
import type { RotationDeps } from './rotationDeps.ts'

export type DataKeyRotationOptions = DrainOptions & {
  /** Start a new key even when none is draining (default true); false only finishes pending work. */
  readonly startNewKey?: boolean
}

export type DataKeyRotationSummary = {
  readonly activeDataKeyId: string
  /** The key made by this run, or null when it resumed a previous rotation. */
  readonly newDataKeyId: string | null
  readonly rewritten: number
  readonly retired: readonly string[]
  /** Keys still referenced (another worker holds their rows, or some rows failed). */
  readonly remaining: Readonly<Record<string, number>>
  readonly failures: readonly string[]
  readonly elapsedMs: number
  readonly secretsPerSecond: number
}

export async function runDataKeyRotation(deps: RotationDeps, options: DataKeyRotationOptions = {}): Promise<DataKeyRotationSummary> {
  const started = performance.now()
  let newDataKeyId: string | null = null
  const draining = async () => (await listDataKeys(deps.db)).filter((k) => k.state === 'decrypt-only').map((k) => k.id)
  if ((await draining()).length === 0 && options.startNewKey !== false) {
    await deps.keyring.refresh()
    const previous = deps.keyring.activeDataKeyId
    newDataKeyId = await deps.keyring.rotateActiveDataKey()
    await deps.db.transaction().execute((trx) =>
      appendAuditEntries(trx, deps.dialect, [{ action: 'keys.rotate-data-key', actor: deps.actor, subject: `data_key:${newDataKeyId}`, details: { from: previous, to: newDataKeyId } }]),
    )
  }
  let rewritten = 0
  const retired: string[] = []
  const remaining: Record<string, number> = {}
  const failures: string[] = []
  const attempted = new Set<string>()
  // Keys can become decrypt-only during the run (another process rotated): drain those too, once.
  for (;;) {
    const next = (await draining()).filter((id) => !attempted.has(id))
    if (next.length === 0 || options.signal?.aborted === true) break
    for (const id of next) {
      attempted.add(id)
      const result = await drainDataKey(deps, id, options)
      rewritten += result.rewritten
      failures.push(...result.failures)
      if (result.retired) retired.push(id)
      else remaining[id] = result.remaining
    }
  }
  const elapsedMs = performance.now() - started
  return { activeDataKeyId: deps.keyring.activeDataKeyId, newDataKeyId, rewritten, retired, remaining, failures: failures.slice(0, 100), elapsedMs: Math.round(elapsedMs), secretsPerSecond: elapsedMs > 0 ? Math.round((rewritten * 1000) / elapsedMs) : 0 }
}
