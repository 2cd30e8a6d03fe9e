/**
 * The envelope-encryption keyring. The root key (KEK) stays in its provider; data keys (DEKs) are
 * random 256-bit keys stored wrapped in `data_keys`, unwrapped once and cached for the process
 * lifetime, wiped on close. One active DEK encrypts; older ones only decrypt until retired.
 *
 * Opening refuses a vault whose active data key the configured root key cannot unwrap: there is
 * no plaintext fallback.
 */
import type { Kysely } from 'kysely'
import { CoffreError } from '../errors.ts'
import { newDataKeyId } from '../ids.ts'
import * as dataKeys from '../store/dataKeys.ts'
import { readRecoveryKeyRef } from '../store/recoveryKeyRef.ts'
import type { Database } from '../store/schema.ts'
import { openAesGcm, sealAesGcm } from './aead.ts'
import type { KeyProvider } from './providers/keyProvider.ts'
import { associatedData, formatSecretField, parseSecretField, type SecretPlace } from './secretField.ts'
import { SecretSealer } from './secretSealer.ts'

/** NIST SP 800-38D caps random-nonce GCM at 2^32 encryptions per key; Coffre rotates far before. */
export const DEFAULT_NONCE_BUDGET = 2 ** 28

export type KeyringOptions = { readonly nonceBudget?: number; readonly now?: () => Date }

export class Keyring {
  readonly #db: Kysely<Database>
  readonly #provider: KeyProvider
  readonly #keys = new Map<string, Uint8Array>()
  readonly #pending = new Map<string, Promise<Uint8Array>>()
  readonly nonceBudget: number
  readonly #now: () => Date
  #activeId = ''
  #closed = false

  private constructor(db: Kysely<Database>, provider: KeyProvider, options: KeyringOptions) {
    this.#db = db
    this.#provider = provider
    this.nonceBudget = options.nonceBudget ?? DEFAULT_NONCE_BUDGET
    this.#now = options.now ?? (() => new Date())
    if (!Number.isSafeInteger(this.nonceBudget) || this.nonceBudget < 1 || this.nonceBudget > 2 ** 32) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', 'nonceBudget must be an integer in [1, 2^32]')
    }
  }

  static async open(db: Kysely<Database>, provider: KeyProvider, options: KeyringOptions = {}): Promise<Keyring> {
    const keyring = new Keyring(db, provider, options)
    await keyring.refresh()
    return keyring
  }

  get provider(): KeyProvider {
    return this.#provider
  }

  get activeDataKeyId(): string {
    return this.#activeId
  }

  /** Re-reads the active key (another process may have rotated it); creates the first one on a new vault. */
  async refresh(): Promise<void> {
    let active = await dataKeys.findActiveDataKey(this.#db)
    if (active === undefined) active = await this.#createFirstDataKey()
    if (active.encryption_count >= this.nonceBudget) {
      await this.rotateActiveDataKey()
      return
    }
    await this.#dataKey(active.id)
    this.#activeId = active.id
  }

  /** A sealer for one write transaction: it encrypts under the active key and counts what it used. */
  sealer(): SecretSealer {
    this.#assertOpen()
    const id = this.#activeId
    const key = this.#keys.get(id)
    if (key === undefined) throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', 'the active data key is not loaded')
    return new SecretSealer(id, this.nonceBudget, (plaintext, place) => formatSecretField(id, sealAesGcm(key, plaintext, associatedData(id, place))))
  }

  /** Decrypts a stored field bound to `place`. The caller wipes the result. */
  async decrypt(value: string, place: SecretPlace): Promise<Uint8Array> {
    this.#assertOpen()
    const { dataKeyId, sealed } = parseSecretField(value)
    const key = this.#keys.get(dataKeyId) ?? (await this.#dataKey(dataKeyId))
    return openAesGcm(key, sealed, associatedData(dataKeyId, place))
  }

  /** Unwraps (and caches) a data key, proving the root key opens it. */
  async loadDataKey(id: string): Promise<void> {
    this.#assertOpen()
    await this.#dataKey(id)
  }

  /** A copy of an unwrapped data key, for rewrapping it under another key. The caller wipes it. */
  async dataKeyCopy(id: string): Promise<Uint8Array> {
    this.#assertOpen()
    return Uint8Array.from(await this.#dataKey(id))
  }

  /** Makes a new active data key; the previous one becomes decrypt-only. Returns the new id. */
  async rotateActiveDataKey(): Promise<string> {
    this.#assertOpen()
    const at = this.#now().toISOString()
    const id = newDataKeyId()
    const { plaintext, wrapped } = await this.#provider.generateDataKey({ dataKeyId: id })
    try {
      await this.#db.transaction().execute(async (trx) => {
        const previous = await dataKeys.findActiveDataKey(trx)
        if (previous !== undefined) await dataKeys.setDataKeyState(trx, previous.id, 'decrypt-only', at)
        await dataKeys.insertDataKey(trx, this.#row(id, wrapped, at))
      })
    } catch (cause) {
      plaintext.fill(0)
      // Another process rotated at the same moment: its key wins.
      await this.refresh()
      return this.#activeId
    }
    this.#keys.set(id, plaintext)
    this.#activeId = id
    return id
  }

  /** Wipes every unwrapped data key. The keyring is unusable afterwards. */
  async close(): Promise<void> {
    this.#closed = true
    for (const key of this.#keys.values()) key.fill(0)
    this.#keys.clear()
  }

  async #createFirstDataKey(): Promise<dataKeys.DataKeyRow> {
    const at = this.#now().toISOString()
    const id = newDataKeyId()
    const { plaintext, wrapped } = await this.#provider.generateDataKey({ dataKeyId: id })
    try {
      await dataKeys.insertDataKey(this.#db, this.#row(id, wrapped, at))
      this.#keys.set(id, plaintext)
    } catch {
      plaintext.fill(0) // a concurrent opener created it first
    }
    const active = await dataKeys.findActiveDataKey(this.#db)
    if (active === undefined) throw new CoffreError('COFFRE_STORE_FAILED', 'could not create the first data key')
    return active
  }

  #row(id: string, wrapped: Uint8Array, at: string): Omit<dataKeys.DataKeyRow, 'encryption_count'> {
    const { kind, keyRef } = this.#provider.info
    return { id, state: 'active', wrapped_key: Buffer.from(wrapped).toString('base64'), provider_kind: kind, provider_key_ref: keyRef, created_at: at, state_changed_at: at }
  }

  async #dataKey(id: string): Promise<Uint8Array> {
    const cached = this.#keys.get(id)
    if (cached !== undefined) return cached
    let pending = this.#pending.get(id)
    if (pending === undefined) {
      pending = this.#unwrap(id).finally(() => this.#pending.delete(id))
      this.#pending.set(id, pending)
    }
    return pending
  }

  async #unwrap(id: string): Promise<Uint8Array> {
    const row = await dataKeys.findDataKey(this.#db, id)
    if (row === undefined || row.state === 'retired') {
      throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', `data key ${id} is ${row === undefined ? 'unknown' : 'retired'}`, { details: { dataKeyId: id } })
    }
    const { kind, keyRef } = this.#provider.info
    const wrapped = row.provider_kind === kind && row.provider_key_ref === keyRef ? row.wrapped_key : await this.#recoveryWrap(row)
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
    this.#keys.set(id, key)
    return key
  }

  /** Opened with the recovery key (a local key whose keyRef is the recorded recovery keyRef): its wrap of `row`, if any. */
  async #recoveryWrap(row: dataKeys.DataKeyRow): Promise<string | undefined> {
    const { kind, keyRef } = this.#provider.info
    if (kind !== 'local' || row.recovery_wrapped_key == null) return undefined
    return (await readRecoveryKeyRef(this.#db)) === keyRef ? row.recovery_wrapped_key : undefined
  }

  #assertOpen(): void {
    if (this.#closed) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'keyring is closed')
  }
}
