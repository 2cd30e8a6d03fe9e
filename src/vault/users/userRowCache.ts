/**
 * A bounded LRU of users' ciphertext rows (user + wallets), so the signing hot path does not read
 * the database for every signature. It holds ciphertexts and public data only — never a decrypted
 * key. Users' rows are immutable except for re-encryption by data-key rotation; a cached row whose
 * data key was retired meanwhile fails to decrypt, and the caller reloads it (`invalidate`).
 */
import type { UserWithWallets } from '../../store/users.ts'
import type { UserRef } from './findUser.ts'

export class UserRowCache {
  readonly #byId = new Map<string, UserWithWallets>()
  readonly #aliases = new Map<string, string>()
  readonly #capacity: number

  constructor(capacity = 10_000) {
    this.#capacity = capacity
  }

  get(ref: UserRef): UserWithWallets | undefined {
    const id = 'id' in ref ? ref.id : this.#aliases.get(aliasOf(ref))
    if (id === undefined) return undefined
    const rows = this.#byId.get(id)
    if (rows !== undefined) {
      this.#byId.delete(id)
      this.#byId.set(id, rows)
    }
    return rows
  }

  set(rows: UserWithWallets): void {
    const id = rows.user.id
    this.#byId.delete(id)
    this.#byId.set(id, rows)
    this.#aliases.set(aliasOf({ telegramUserId: rows.user.telegram_user_id }), id)
    for (const wallet of rows.wallets) this.#aliases.set(aliasOf({ address: wallet.address }), id)
    while (this.#byId.size > this.#capacity) {
      const oldest = this.#byId.keys().next().value
      if (oldest === undefined) break
      this.invalidate(oldest)
    }
  }

  invalidate(id: string): void {
    const rows = this.#byId.get(id)
    this.#byId.delete(id)
    if (rows === undefined) return
    this.#aliases.delete(aliasOf({ telegramUserId: rows.user.telegram_user_id }))
    for (const wallet of rows.wallets) this.#aliases.delete(aliasOf({ address: wallet.address }))
  }

  clear(): void {
    this.#byId.clear()
    this.#aliases.clear()
  }
}

function aliasOf(ref: UserRef): string {
  if ('telegramUserId' in ref) return `t:${Number(ref.telegramUserId)}`
  if ('address' in ref) return `a:${ref.address.toLowerCase()}`
  return `i:${ref.id}`
}
