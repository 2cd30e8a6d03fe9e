/**
 * Bulk wallet creation on a small pool of worker threads. PBKDF2 (BIP-39's 2048 rounds) dominates
 * the cost of a wallet, so the work is spread over one worker per core, in chunks, and each
 * user's secrets come back as a transferred buffer (never copied and left behind).
 *
 * Workers run this project's TypeScript. Node 20 does not apply `--import tsx` to a worker's entry
 * module, so a worker starts from a tiny bootstrap that registers tsx's loader, then imports
 * walletWorker.ts. Idle workers are unref'd: an open pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { CoffreError, invalidInput, type ErrorCode, errorCodes } from '../errors.ts'
import type { MnemonicLength } from './entropy.ts'
import { unpackWalletMaterial } from './packedWalletMaterial.ts'
import type { CreateWalletOptions, WalletMaterial } from './walletMaterial.ts'
import type { WalletJob, WalletJobResult } from './walletWorker.ts'

export interface WalletWorkerPoolOptions {
  /** Number of worker threads; default: the number of cores. */
  size?: number
}

interface Chunk {
  batch: Batch
  offset: number
  count: number
}

interface Batch {
  words: MnemonicLength
  results: WalletMaterial[]
  remaining: number
  failed: boolean
  resolve: (materials: WalletMaterial[]) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  chunk: Chunk | undefined
}

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './walletWorker.ts' : './walletWorker.js', import.meta.url)

function startWorker(): Worker {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl)
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}) })`
  return new Worker(bootstrap, { eval: true })
}

function wipeAll(materials: readonly (WalletMaterial | undefined)[]): void {
  for (const material of materials) {
    if (material === undefined) continue
    material.entropy.fill(0)
    material.evm.privateKey.fill(0)
    material.solana.secretKey.fill(0)
    material.identity.privateKey.fill(0)
  }
}

function toError(code: string, message: string): CoffreError {
  const known = Object.hasOwn(errorCodes, code) ? (code as ErrorCode) : 'COFFRE_INTERNAL'
  return new CoffreError(known, `wallet worker: ${message}`)
}

export class WalletWorkerPool {
  readonly size: number
  readonly #slots: Slot[] = []
  readonly #queue: Chunk[] = []
  #nextJobId = 1
  #closed = false

  constructor(options: WalletWorkerPoolOptions = {}) {
    const size = options.size ?? Math.max(1, availableParallelism())
    if (!Number.isInteger(size) || size < 1 || size > 64) throw invalidInput('worker pool size must be an integer from 1 to 64')
    this.size = size
  }

  createBatch(count: number, options: CreateWalletOptions): Promise<WalletMaterial[]> {
    if (!Number.isInteger(count) || count < 0) return Promise.reject(invalidInput('count must be a non-negative integer'))
    if (options.words !== 12 && options.words !== 24) return Promise.reject(invalidInput('words must be 12 or 24'))
    if (this.#closed) return Promise.reject(new CoffreError('COFFRE_UNSUPPORTED', 'the wallet worker pool is closed'))
    if (count === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      const batch: Batch = { words: options.words, results: new Array(count), remaining: count, failed: false, resolve, reject }
      // Several chunks per worker balance uneven workers; at most 64 users per message.
      const chunkSize = Math.min(64, Math.max(1, Math.ceil(count / (this.size * 4))))
      for (let offset = 0; offset < count; offset += chunkSize) {
        this.#queue.push({ batch, offset, count: Math.min(chunkSize, count - offset) })
      }
      this.#dispatch()
    })
  }

  /** Starts every worker and waits until each has loaded its code (call at start-up to keep the first batch fast). */
  async warmUp(): Promise<void> {
    wipeAll(await this.createBatch(this.size, { words: 12 }))
  }

  /** Terminates the workers; pending batches fail. */
  async close(): Promise<void> {
    this.#closed = true
    for (const chunk of this.#queue.splice(0)) this.#fail(chunk.batch, new CoffreError('COFFRE_UNSUPPORTED', 'the wallet worker pool was closed'))
    const slots = this.#slots.splice(0)
    for (const slot of slots) {
      if (slot.chunk !== undefined) this.#fail(slot.chunk.batch, new CoffreError('COFFRE_UNSUPPORTED', 'the wallet worker pool was closed'))
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()))
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((candidate) => candidate.chunk === undefined)
      if (slot === undefined && this.#slots.length < this.size) slot = this.#spawn()
      if (slot === undefined) return
      const chunk = this.#queue.shift()
      if (chunk === undefined) return
      if (chunk.batch.failed) continue
      slot.chunk = chunk
      slot.worker.ref()
      const job: WalletJob = { id: this.#nextJobId++, count: chunk.count, words: chunk.batch.words }
      slot.worker.postMessage(job)
    }
  }

  #spawn(): Slot {
    const slot: Slot = { worker: startWorker(), chunk: undefined }
    slot.worker.unref()
    slot.worker.on('message', (result: WalletJobResult) => this.#onResult(slot, result))
    slot.worker.on('error', (error) => this.#onCrash(slot, error))
    slot.worker.on('exit', (code) => this.#onCrash(slot, new Error(`worker exited with code ${code}`)))
    this.#slots.push(slot)
    return slot
  }

  #onResult(slot: Slot, result: WalletJobResult): void {
    const chunk = slot.chunk
    slot.chunk = undefined
    slot.worker.unref()
    if (chunk === undefined) return
    if (!result.ok) {
      this.#fail(chunk.batch, toError(result.code, result.message))
    } else {
      let materials: WalletMaterial[]
      try {
        materials = result.items.map(unpackWalletMaterial)
      } catch (error) {
        for (const item of result.items) if (item.buffer instanceof ArrayBuffer) new Uint8Array(item.buffer).fill(0)
        this.#fail(chunk.batch, error instanceof Error ? error : new CoffreError('COFFRE_INTERNAL', 'malformed worker result'))
        this.#dispatch()
        return
      }
      const { batch } = chunk
      if (batch.failed) {
        wipeAll(materials)
      } else {
        materials.forEach((material, i) => (batch.results[chunk.offset + i] = material))
        batch.remaining -= materials.length
        if (batch.remaining === 0) batch.resolve(batch.results)
      }
    }
    this.#dispatch()
  }

  #onCrash(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot)
    if (index === -1) return
    this.#slots.splice(index, 1)
    if (slot.chunk !== undefined) this.#fail(slot.chunk.batch, new CoffreError('COFFRE_INTERNAL', `a wallet worker failed: ${error.message}`, { cause: error }))
    slot.chunk = undefined
    void slot.worker.terminate()
    if (!this.#closed) this.#dispatch()
  }

  #fail(batch: Batch, error: Error): void {
    if (batch.failed) return
    batch.failed = true
    wipeAll(batch.results)
    batch.reject(error)
  }
}

let defaultPool: WalletWorkerPool | undefined

/** `count` fresh wallets, derived on the shared worker pool (started on first use). */
export function createWalletMaterialBatch(count: number, options: CreateWalletOptions): Promise<WalletMaterial[]> {
  defaultPool ??= new WalletWorkerPool()
  return defaultPool.createBatch(count, options)
}

/** Starts the shared pool's workers ahead of the first batch. */
export function warmWalletWorkers(): Promise<void> {
  defaultPool ??= new WalletWorkerPool()
  return defaultPool.warmUp()
}

/** Stops the shared pool's workers (the next batch starts a new pool). */
export async function closeWalletWorkers(): Promise<void> {
  const pool = defaultPool
  defaultPool = undefined
  await pool?.close()
}
