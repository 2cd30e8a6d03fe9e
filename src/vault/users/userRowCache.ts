/**
 * A bounded LRU of users' ciphertext rows (user + wallets), so the signing hot path does not read
 * the database for every signature. It holds ciphertexts and public data only — never a decrypted
 * key. Users' rows are immutable except for re-encryption by data-key rotation; a cached row whose
 * data key was retired meanwhile fails to decrypt, and the caller reloads it (`invalidate`).
 */
import { LRUCache } from 'lru-cache'
import type { UserWithWallets } from '../../store/users.ts'
import type { UserRef } from './userRef.ts'

export class UserRowCache {
  readonly #aliases = new Map<string, string>()
  readonly #byId: LRUCache<string, UserWithWallets>

  constructor(capacity = 10_000) {
    // An evicted or invalidated user takes its telegram-id and address aliases with it.
    this.#byId = new LRUCache({ max: capacity, dispose: (rows) => this.#forgetAliases(rows) })
  }

  get(ref: UserRef): UserWithWallets | undefined {
    const id = 'id' in ref ? ref.id : this.#aliases.get(aliasOf(ref))
    return id === undefined ? undefined : this.#byId.get(id)
  }

  set(rows: UserWithWallets): void {
    const id = rows.user.id
    this.#byId.delete(id)
    this.#byId.set(id, rows)
    this.#aliases.set(aliasOf({ telegramUserId: rows.user.telegram_user_id }), id)
    for (const wallet of rows.wallets) this.#aliases.set(aliasOf({ address: wallet.address }), id)
  }

  invalidate(id: string): void {
    this.#byId.delete(id)
  }

  clear(): void {
    this.#byId.clear()
  }

  #forgetAliases(rows: UserWithWallets): void {
    const id = rows.user.id
    const forget = (alias: string) => this.#aliases.get(alias) === id && this.#aliases.delete(alias)
    forget(aliasOf({ telegramUserId: rows.user.telegram_user_id }))
    for (const wallet of rows.wallets) forget(aliasOf({ address: wallet.address }))
  }
}

function aliasOf(ref: UserRef): string {
  if ('telegramUserId' in ref) return `t:${Number(ref.telegramUserId)}`
  if ('address' in ref) return `a:${ref.address.toLowerCase()}`
  return `i:${ref.id}`
}
