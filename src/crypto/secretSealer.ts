/**
 * Encrypts the secret fields of one write transaction under the active data key and records how
 * many encryptions it used, in the same transaction, so the nonce budget counts exactly what was
 * committed. If the key stopped being active (another process rotated it) or its budget is spent,
 * `commit` fails with a retryable COFFRE_DATA_KEY_UNAVAILABLE and the transaction rolls back.
 */
import type { Kysely, Transaction } from 'kysely'
import { CoffreError } from '../errors.ts'
import { addEncryptions } from '../store/dataKeys.ts'
import type { Database } from '../store/schema.ts'
import type { SecretPlace } from './secretField.ts'

export class SecretSealer {
  readonly dataKeyId: string
  readonly #budget: number
  readonly #encrypt: (plaintext: Uint8Array, place: SecretPlace) => string
  #count = 0

  constructor(dataKeyId: string, budget: number, encrypt: (plaintext: Uint8Array, place: SecretPlace) => string) {
    this.dataKeyId = dataKeyId
    this.#budget = budget
    this.#encrypt = encrypt
  }

  get count(): number {
    return this.#count
  }

  seal(plaintext: Uint8Array, place: SecretPlace): string {
    this.#count += 1
    return this.#encrypt(plaintext, place)
  }

  async commit(trx: Transaction<Database> | Kysely<Database>): Promise<void> {
    if (this.#count === 0) return
    const ok = await addEncryptions(trx, this.dataKeyId, this.#count, this.#budget)
    if (!ok) {
      throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', `data key ${this.dataKeyId} is no longer active or its nonce budget is spent`, {
        details: { dataKeyId: this.dataKeyId, retryable: true },
      })
    }
  }
}
