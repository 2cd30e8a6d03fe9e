/**
 * The keyring's unwrapped data keys: each is read from `data_keys`, unwrapped by the root-key
 * provider once (concurrent first uses share one unwrap) and kept for the process lifetime, wiped
 * on close. A key wrapped under another root key opens only through a recovery wrap, when the
 * provider is the (current or pending) recovery key.
 */
import { CoffreError } from '../../errors.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import type { DataKeyRow } from '../../store/dataKeys.ts'
import { recoveryWrapOf } from './recoveryWrap.ts'
import type { DataKeyStore, Executor } from './dataKeyStore.ts'

export class DataKeyCache {
  readonly #store: DataKeyStore
  readonly #provider: KeyProvider
  readonly #keys = new Map<string, Uint8Array>()
  readonly #pending = new Map<string, Promise<Uint8Array>>()
  #closed = false

  constructor(store: DataKeyStore, provider: KeyProvider) {
    this.#store = store
    this.#provider = provider
  }

  /** The unwrapped key if it is loaded (no I/O). */
  cached(id: string): Uint8Array | undefined {
    return this.#keys.get(id)
  }

  /** Keeps a key this process made (the keyring's new data key); the cache owns it from now on. */
  add(id: string, key: Uint8Array): void {
    this.#keys.set(id, key)
  }

  /** The unwrapped key, loading it first. Inside a transaction pass it as `via`: the row is then read through it. */
  async get(id: string, via?: Executor): Promise<Uint8Array> {
    const cached = this.#keys.get(id)
    if (cached !== undefined) return cached
    // Inside a transaction the row is read through it, never through a shared load that waits for the store.
    if (via !== undefined) return this.#unwrap(id, via)
    let pending = this.#pending.get(id)
    if (pending === undefined) {
      pending = this.#unwrap(id).finally(() => this.#pending.delete(id))
      this.#pending.set(id, pending)
    }
    return pending
  }

  /** Wipes every unwrapped key; later loads fail. */
  close(): void {
    this.#closed = true
    for (const key of this.#keys.values()) key.fill(0)
    this.#keys.clear()
  }

  async #unwrap(id: string, via?: Executor): Promise<Uint8Array> {
    const row = await this.#store.find(id, via)
    if (row === undefined || row.state === 'retired') {
      throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', `data key ${id} is ${row === undefined ? 'unknown' : 'retired'}`, { details: { dataKeyId: id } })
    }
    const { kind, keyRef } = this.#provider.info
    const wrapped = row.provider_kind === kind && row.provider_key_ref === keyRef ? row.wrapped_key : await this.#recoveryWrap(row, via)
    if (wrapped === undefined) {
      throw new CoffreError(
        'COFFRE_ROOT_KEY_INVALID',
        `data key ${id} is wrapped under root key ${row.provider_key_ref}, but the configured root key is ${keyRef}`,
        { details: { dataKeyId: id, expected: row.provider_key_ref, configured: keyRef } },
      )
    }
    const key = await this.#provider.unwrapDataKey(new Uint8Array(Buffer.from(wrapped, 'base64')), { dataKeyId: id })
    if (this.#closed) {
      key.fill(0)
      throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'keyring is closed')
    }
    const raced = this.#keys.get(id)
    if (raced !== undefined) {
      key.fill(0)
      return raced
    }
    this.#keys.set(id, key)
    return key
  }

  /** Opened with a recovery key (a local key whose keyRef is the current or pending recovery keyRef): its wrap of `row`, if any. */
  async #recoveryWrap(row: DataKeyRow, via?: Executor): Promise<string | undefined> {
    const { kind, keyRef } = this.#provider.info
    if (kind !== 'local' || (row.recovery_wrapped_key == null && row.pending_recovery_wrapped_key == null)) return undefined
    return recoveryWrapOf(row, keyRef, await this.#store.recoveryKeyRefs(via))
  }
}
