/**
 * Group commit for audit events that are the only write of an action (a signature, an export):
 * concurrent callers' entries are appended in one transaction, and each caller's promise resolves
 * only after that transaction committed — fail-closed without one fsync per signature.
 * A failed batch rejects every caller in it.
 *
 * An entry may carry velocity charges (src/policy/velocity.ts): they are applied in the same
 * transaction as the entries, all charges of the batch in key order (so concurrent batches on
 * several instances lock counter rows in one order and cannot deadlock). A caller whose charge is
 * refused gets its other charges refunded, its denial entry appended instead of its entry, and
 * `refusedBy` set to the rule that refused.
 */
import type { Kysely, Transaction } from 'kysely'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'
import { appendAuditEntries } from './append.ts'
import type { AuditEntry } from './entry.ts'
import { chargeVelocity, refundVelocity, type VelocityChargeRow } from '../policyVelocity.ts'

export type RuledCharge = VelocityChargeRow & { readonly ruleId: string }
export type ChargedAppend = { readonly seq: number; readonly refusedBy: string | null }

type Charged = { readonly charges: readonly RuledCharge[]; readonly denied: (ruleId: string) => AuditEntry }
type Waiter = { entry: AuditEntry; charged?: Charged; resolve: (result: ChargedAppend) => void; reject: (error: unknown) => void }

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
    return new Promise<ChargedAppend>((resolve, reject) => this.#enqueue({ entry, resolve, reject })).then((r) => r.seq)
  }

  /** Appends `entry` if every charge fits its limit, else refunds them and appends `denied(ruleId)`. */
  appendCharged(entry: AuditEntry, charges: readonly RuledCharge[], denied: (ruleId: string) => AuditEntry): Promise<ChargedAppend> {
    if (charges.length === 0) return this.append(entry).then((seq) => ({ seq, refusedBy: null }))
    return new Promise((resolve, reject) => this.#enqueue({ entry, charged: { charges, denied }, resolve, reject }))
  }

  #enqueue(waiter: Waiter): void {
    this.#queue.push(waiter)
    if (this.#flushing === null) this.#flushing = this.#drain()
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
        const { seqs, refused } = await this.#db.transaction().execute(async (trx) => {
          const refused = await applyCharges(trx, batch)
          const entries = batch.map((w) => (refused.has(w) ? w.charged!.denied(refused.get(w)!) : w.entry))
          return { seqs: await appendAuditEntries(trx, this.#dialect, entries), refused }
        })
        batch.forEach((waiter, i) => waiter.resolve({ seq: seqs[i]!, refusedBy: refused.get(waiter) ?? null }))
      } catch (error) {
        for (const waiter of batch) waiter.reject(error)
      }
    }
    this.#flushing = null
  }
}

/** Applies every waiter's charges in key order; returns the waiters refused, with the refusing rule. */
async function applyCharges(trx: Transaction<Database>, batch: readonly Waiter[]): Promise<Map<Waiter, string>> {
  const refused = new Map<Waiter, string>()
  const all = batch.flatMap((waiter) => (waiter.charged?.charges ?? []).map((charge) => ({ waiter, charge })))
  if (all.length === 0) return refused
  all.sort((x, y) => (x.charge.key < y.charge.key ? -1 : x.charge.key > y.charge.key ? 1 : 0))
  const applied = new Map<Waiter, RuledCharge[]>()
  for (const { waiter, charge } of all) {
    if (refused.has(waiter)) continue
    if (await chargeVelocity(trx, charge)) {
      const list = applied.get(waiter) ?? []
      list.push(charge)
      applied.set(waiter, list)
      continue
    }
    refused.set(waiter, charge.ruleId)
    for (const done of applied.get(waiter) ?? []) await refundVelocity(trx, done)
  }
  return refused
}
