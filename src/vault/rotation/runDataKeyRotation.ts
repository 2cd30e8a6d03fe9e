/**
 * `coffre keys rotate-data`: makes a new active data key (unless a previous rotation is still
 * draining, which it then finishes), re-encrypts every secret of the older keys under it in batches
 * while the vault stays online, and retires the old keys once nothing references them. The new key
 * and the list of keys to drain are committed with the audit entry in one transaction, so a rotation
 * that cannot be audited changes nothing. Resumable: a killed run loses only its uncommitted batch,
 * and running again (CLI, API or the scheduler) continues where the committed batches left off.
 */
import { markDrains, pendingDrains } from '../../store/rotationProgress.ts'
import { drainDataKey, type DrainOptions } from './drainDataKey.ts'
import { nowOf, type RotationDeps } from './rotationDeps.ts'

export type DataKeyRotationOptions = DrainOptions & {
  /** Start a new key unless a previous rotation is still draining (default true); false only finishes pending work. */
  readonly startNewKey?: boolean
  /** Why the rotation runs, for the audit entry (default `operator`). */
  readonly reason?: string
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
  // A rotation left half-way (its drains are recorded) is finished rather than started again.
  let toDrain = await pendingDrains(deps.db)
  if (toDrain.length === 0 && options.startNewKey !== false) {
    await deps.keyring.refresh()
    // New key, previous keys marked for draining, audit entry: one transaction, or nothing.
    newDataKeyId = await deps.keyring.rotateActiveDataKey({ actor: deps.actor, reason: options.reason ?? 'operator', within: (trx) => markDrains(trx, nowOf(deps).toISOString()) })
    toDrain = await pendingDrains(deps.db)
  }
  let rewritten = 0
  const retired: string[] = []
  const remaining: Record<string, number> = {}
  const failures: string[] = []
  // Only the keys this rotation set out to drain: keys that stop being active meanwhile (their nonce
  // budget was used up by this very re-encryption) belong to the new generation and stay as they are.
  for (const id of toDrain) {
    if (options.signal?.aborted === true) break
    const result = await drainDataKey(deps, id, options)
    rewritten += result.rewritten
    failures.push(...result.failures)
    if (result.retired) retired.push(id)
    else remaining[id] = result.remaining
  }
  const elapsedMs = performance.now() - started
  return { activeDataKeyId: deps.keyring.activeDataKeyId, newDataKeyId, rewritten, retired, remaining, failures: failures.slice(0, 100), elapsedMs: Math.round(elapsedMs), secretsPerSecond: elapsedMs > 0 ? Math.round((rewritten * 1000) / elapsedMs) : 0 }
}
