/**
 * Group commit for audit events that are the only write of an action (a signature, an export):
 * concurrent callers' entries are appended in one transaction, and each caller's promise resolves
 * only after that transaction committed — fail-closed without one fsync per signature.
 * A failed batch rejects every caller in it.
 */
import type { Kysely } from 'kysely'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'
import { appendAuditEntries } from './append.ts'
import type { AuditEntry } from './entry.ts'

type Waiter = { entry: AuditEntry; resolve: (seq: number) => void; reject: (error: unknown) => void }

export class AuditGroupWriter {
  readonly #db: Kysely<Database>
  readonly #dialect: StoreDialect
  readonly #maxBatch: number
  #queue: Waiter[] = []
  #flushing: Promise<void> | null = null

  constructor(db: Kysely<Database>, dialect: StoreDialect, options: { maxBatch?: number } = {}) {
    this.#db = db
    this.#dialect = dialect
    this.#maxBatch = options.maxBatch ?? 512
  }

  /** Resolves with the entry's sequence number once it is durable. */
  append(entry: AuditEntry): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject })
      if (this.#flushing === null) this.#flushing = this.#drain()
    })
  }

  /** Waits until everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing
  }

  async #drain(): Promise<void> {
    // Yield once so callers arriving in the same tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch)
      try {
        const seqs = await this.#db.transaction().execute((trx) => appendAuditEntries(trx, this.#dialect, batch.map((w) => w.entry)))
        batch.forEach((waiter, i) => waiter.resolve(seqs[i]!))
      } catch (error) {
        for (const waiter of batch) waiter.reject(error)
      }
    }
    this.#flushing = null
  }
}
