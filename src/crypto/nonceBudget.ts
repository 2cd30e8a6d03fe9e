/**
 * This process's view of the active data key's nonce budget: encryptions committed (as last read
 * from the database or committed here) plus those reserved by write transactions still open. A
 * write reserves what it will seal before it seals, so writes of one process never overrun the
 * budget together; the database check at commit (`addEncryptions`) stays the authority across
 * processes.
 */
export class NonceBudget {
  readonly dataKeyId: string
  readonly limit: number
  #committed: number
  #reserved = 0
  #waiters: Array<() => void> = []

  constructor(dataKeyId: string, limit: number, committed: number) {
    this.dataKeyId = dataKeyId
    this.limit = limit
    this.#committed = committed
  }

  /** Encryptions reserved by write transactions of this process that have not ended yet. */
  get reserved(): number {
    return this.#reserved
  }

  /** Resolves when the next write transaction holding a reservation on this key ends. */
  nextSettlement(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Encryptions still available to new reservations. */
  free(): number {
    return this.limit - this.#committed - this.#reserved
  }

  /** Reserves `n` encryptions if they fit. */
  reserve(n: number): boolean {
    if (n > this.free()) return false
    this.#reserved += n
    return true
  }

  /** A write transaction ended: `used` of its `reserved` encryptions were committed (0 if it rolled back). */
  settle(reserved: number, used: number): void {
    this.#reserved = Math.max(0, this.#reserved - reserved)
    this.#committed += used
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** The committed count read from the database (other processes' writes included). */
  observe(committed: number): void {
    this.#committed = Math.max(this.#committed, committed)
  }
}
