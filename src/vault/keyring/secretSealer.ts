/**
 * Encrypts the secret fields of one write transaction under the active data key and records how
 * many encryptions it used, in the same transaction, so the nonce budget counts exactly what was
 * committed. A sealer starts with the encryptions its write reserved (`Keyring.sealerFor`); a batch
 * asks `take(n)` before each item and stops when the key has no room left, to go on in the next
 * transaction (the keyring rotates first). If the key stopped being active (another process rotated
 * it) or its budget is spent, `commit` fails with a retryable COFFRE_DATA_KEY_UNAVAILABLE and the
 * transaction rolls back. `settle` tells the keyring how the transaction ended.
 */
import type { Kysely, Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import type { Database } from '../../store/schema.ts'
import type { NonceBudget } from '../../crypto/nonceBudget.ts'
import type { SecretPlace } from '../../crypto/secretField.ts'
import type { DataKeyStore } from './dataKeyStore.ts'

export class SecretSealer {
  readonly dataKeyId: string
  readonly #budget: NonceBudget
  readonly #encrypt: (plaintext: Uint8Array, place: SecretPlace) => string
  readonly #addEncryptions: DataKeyStore['addEncryptions']
  #reserved: number
  #count = 0
  #settled = false

  constructor(budget: NonceBudget, reserved: number, encrypt: (plaintext: Uint8Array, place: SecretPlace) => string, addEncryptions: DataKeyStore['addEncryptions']) {
    this.dataKeyId = budget.dataKeyId
    this.#budget = budget
    this.#reserved = reserved
    this.#encrypt = encrypt
    this.#addEncryptions = addEncryptions
  }

  get count(): number {
    return this.#count
  }

  /** Makes sure `n` more encryptions are reserved; false when the key has no room for them. */
  take(n: number): boolean {
    const unspent = this.#reserved - this.#count
    if (unspent >= n) return true
    if (!this.#budget.reserve(n - unspent)) return false
    this.#reserved += n - unspent
    return true
  }

  seal(plaintext: Uint8Array, place: SecretPlace): string {
    this.#count += 1
    return this.#encrypt(plaintext, place)
  }

  async commit(trx: Transaction<Database> | Kysely<Database>): Promise<void> {
    if (this.#count === 0) return
    if (!this.take(0)) throw budgetSpent(this.dataKeyId, this.#count)
    const ok = await this.#addEncryptions(trx, this.dataKeyId, this.#count, this.#budget.limit)
    if (!ok) {
      throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', `data key ${this.dataKeyId} is no longer active or its nonce budget is spent`, {
        details: { dataKeyId: this.dataKeyId, retryable: true },
      })
    }
  }

  /** The transaction ended (committed or not): the keyring's budget view is updated once. */
  settle(committed: boolean): void {
    if (this.#settled) return
    this.#settled = true
    this.#budget.settle(this.#reserved, committed ? this.#count : 0)
  }
}

/** More encryptions were sealed than this process can still count against the key. */
function budgetSpent(dataKeyId: string, needed: number): CoffreError {
  return new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', `data key ${dataKeyId} has no room left in its nonce budget for ${needed} encryptions`, {
    details: { dataKeyId, retryable: true, needed },
  })
}
