/**
 * `vault.keys`: the keyring as an operator and the HTTP service see it — data keys, rotation
 * progress and due-ness — and the rotations themselves. `startDataRotation` runs a data-key
 * rotation in the background (one per vault object) for `coffre serve`; progress is read from the
 * database, so every instance reports the same numbers.
 */
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { rotateRootKey, type RootKeyRotationSummary } from '../rotation/rotateRootKey.ts'
import { runDataKeyRotation, type DataKeyRotationOptions, type DataKeyRotationSummary } from '../rotation/runDataKeyRotation.ts'
import { checkRotationDue, listDataKeyInfo, readRotationProgress, type DataKeyInfo, type DataKeyProgress, type RotationDue } from '../rotation/rotationStatus.ts'
import { countReferences } from '../rotation/secretReferences.ts'
import { listDataKeys } from '../../store/dataKeys.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'

export type DuePolicy = { readonly cryptoperiodDays?: number; readonly budgetFraction?: number }

export type KeyStatus = {
  readonly provider: { readonly kind: string; readonly keyRef: string; readonly details: Readonly<Record<string, string>> }
  readonly activeDataKeyId: string
  readonly keys: readonly DataKeyInfo[]
  readonly progress: readonly DataKeyProgress[]
  readonly due: RotationDue
  readonly backgroundRotation: boolean
}

export type BackgroundRotation = { readonly done: Promise<DataKeyRotationSummary>; stop(): Promise<void> }

export type DueCheckResult = { readonly due: RotationDue; readonly rotation: DataKeyRotationSummary | null }

export function createKeyService(ctx: VaultContext) {
  const db = ctx.store.db
  const deps = (options: ActionOptions) => ({ db, dialect: ctx.store.dialect, keyring: ctx.keyring, actor: options.actor ?? DEFAULT_ACTOR })
  let background: { done: Promise<DataKeyRotationSummary>; controller: AbortController } | null = null

  const rotateData = (options: DataKeyRotationOptions & ActionOptions = {}): Promise<DataKeyRotationSummary> =>
    runDataKeyRotation(deps(options), {
      ...options,
      onBatch: (event) => {
        ctx.observer.rotated?.(event.dataKeyId, event.rewritten)
        options.onBatch?.(event)
      },
    })

  const due = (policy: DuePolicy = {}) => checkRotationDue(db, { nonceBudget: ctx.keyring.nonceBudget, ...policy })

  const service = {
    /** Every data key: id, state, encryptionCount, budget, createdAt, provider. */
    list: (): Promise<DataKeyInfo[]> => listDataKeyInfo(db, ctx.keyring.nonceBudget),
    /** Secrets a `rotateData` run would re-encrypt: under every live key (`startNewKey`), or under keys being drained. */
    async secretsToMove(options: { readonly startNewKey: boolean }): Promise<number> {
      const keys = (await listDataKeys(db)).filter((k) => (options.startNewKey ? k.state !== 'retired' : k.state === 'decrypt-only'))
      let total = 0
      for (const key of keys) total += await countReferences(db, key.id)
      return total
    },
    /** Rows done / total per data key being (or having been) re-encrypted. */
    progress: (): Promise<DataKeyProgress[]> => readRotationProgress(db),
    due,
    async status(policy: DuePolicy = {}): Promise<KeyStatus> {
      const { kind, keyRef, details } = ctx.keyring.provider.info
      return { provider: { kind, keyRef, details }, activeDataKeyId: ctx.keyring.activeDataKeyId, keys: await service.list(), progress: await service.progress(), due: await due(policy), backgroundRotation: background !== null }
    },
    /** Runs a data-key rotation to completion (new key, re-encrypt everything, retire the old one). */
    rotateData,
    /** Starts (or returns the running) background data-key rotation. */
    startDataRotation(options: Omit<DataKeyRotationOptions, 'signal'> & ActionOptions = {}): BackgroundRotation {
      if (background === null) {
        const controller = new AbortController()
        const done = rotateData({ ...options, signal: controller.signal }).finally(() => {
          background = null
        })
        done.catch((error) => ctx.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'background data-key rotation failed'))
        background = { done, controller }
      }
      const current = background
      return {
        done: current.done,
        async stop() {
          current.controller.abort()
          await current.done.catch(() => undefined)
        },
      }
    },
    /** Rotates when due (budget or cryptoperiod), and finishes any rotation left half-way. */
    async runDueCheck(policy: DuePolicy & ActionOptions = {}): Promise<DueCheckResult> {
      const status = await due(policy)
      if (status.due) return { due: status, rotation: await rotateData({ ...policy, startNewKey: true, reason: 'scheduled' }) }
      if (status.draining.length > 0) return { due: status, rotation: await rotateData({ ...policy, startNewKey: false }) }
      return { due: status, rotation: null }
    },
    /**
     * Rewraps every data key under `target` (another key, or another provider). Afterwards this
     * vault object still holds the unwrapped keys it had; reopen it with the new root key.
     */
    rotateRoot: (target: KeyProvider, options: ActionOptions = {}): Promise<RootKeyRotationSummary> => rotateRootKey({ ...deps(options), integrity: ctx.integrity }, ctx.keyring.provider, target),
    /** Stops a background rotation (vault close). */
    async stopBackground(): Promise<void> {
      const current = background
      if (current === null) return
      current.controller.abort()
      await current.done.catch(() => undefined)
    },
  }
  return service
}

export type KeyService = ReturnType<typeof createKeyService>
