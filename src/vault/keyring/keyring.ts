/**
 * The envelope-encryption keyring. The root key (KEK) stays in its provider; data keys (DEKs) are
 * random 256-bit keys stored wrapped in `data_keys`, unwrapped once and cached for the process
 * lifetime, wiped on close. One active DEK encrypts; older ones only decrypt until retired.
 *
 * Opening refuses a vault whose active data key the configured root key cannot unwrap: there is
 * no plaintext fallback. A vault that holds secrets but has no active data key (its row was
 * deleted) opens for reading only: writes fail until an operator rotates (`keys rotate-data`) —
 * the keyring never quietly makes a fresh key over a deleted one.
 *
 * Every data-key creation and state change is one transaction with its audit entry, whoever starts
 * it (the first key, a rotation because the nonce budget is used up, an operator's rotation).
 * Writers ask `sealerFor(n)` before their transaction opens: if the active key has no room for `n`
 * more encryptions, the keyring rotates first, so no write fails because a budget is spent.
 *
 * (Over 200 lines on purpose: the active key, its nonce budget and its rotation are one piece of
 * state guarded together; the unwrapped-key cache is dataKeyCache.ts.)
 */
import type { Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import { newDataKeyId } from '../../ids.ts'
import type { DataKeyRow } from '../../store/dataKeys.ts'
import type { DataKeyState, Database } from '../../store/schema.ts'
import { openAesGcm, sealAesGcm } from '../../crypto/aead.ts'
import { NonceBudget } from '../../crypto/nonceBudget.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { associatedData, formatSecretField, parseSecretField, type SecretPlace } from '../../crypto/secretField.ts'
import { DataKeyCache } from './dataKeyCache.ts'
import type { DataKeyStore, Executor } from './dataKeyStore.ts'
import { SecretSealer } from './secretSealer.ts'

export type { DataKeyStore, Executor } from './dataKeyStore.ts'

/** NIST SP 800-38D caps random-nonce GCM at 2^32 encryptions per key; Coffre rotates far before. */
export const DEFAULT_NONCE_BUDGET = 2 ** 28

/** Who the audit trail names for rotations the keyring starts on its own. */
export const KEYRING_ACTOR = 'system:keyring'

export type KeyringOptions = { readonly nonceBudget?: number; readonly now?: () => Date }

export type DataKeyRotation = {
  readonly actor?: string
  /** Why, for the audit entry: `operator`, `scheduled`, `nonce-budget`, `first`… */
  readonly reason: string
  /** Runs inside the rotation's transaction, after the new key is stored (e.g. to record the drains it starts). */
  readonly within?: (trx: Transaction<Database>, change: { readonly from: string | null; readonly to: string }) => Promise<void>
}

const ANY_PREVIOUS = Symbol('any previous key')

export class Keyring {
  readonly #store: DataKeyStore
  readonly #provider: KeyProvider
  readonly #keys: DataKeyCache
  readonly nonceBudget: number
  readonly #now: () => Date
  /** The active key's budget as this process sees it; null when the vault has no active key. */
  #active: NonceBudget | null = null
  #makingRoom: Promise<void> | null = null
  #closed = false

  private constructor(store: DataKeyStore, provider: KeyProvider, options: KeyringOptions) {
    this.#store = store
    this.#provider = provider
    this.#keys = new DataKeyCache(store, provider)
    this.nonceBudget = options.nonceBudget ?? DEFAULT_NONCE_BUDGET
    this.#now = options.now ?? (() => new Date())
    if (!Number.isSafeInteger(this.nonceBudget) || this.nonceBudget < 1 || this.nonceBudget > 2 ** 32) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', 'nonceBudget must be an integer in [1, 2^32]')
    }
  }

  static async open(store: DataKeyStore, provider: KeyProvider, options: KeyringOptions = {}): Promise<Keyring> {
    const keyring = new Keyring(store, provider, options)
    await keyring.refresh()
    return keyring
  }

  get provider(): KeyProvider {
    return this.#provider
  }

  /** The active data key's id ('' when the vault has none: writes refuse until an operator rotates). */
  get activeDataKeyId(): string {
    return this.#active?.dataKeyId ?? ''
  }

  /** Re-reads the active key (another process may have rotated it); creates the first one on a new vault. */
  async refresh(): Promise<void> {
    this.#assertOpen()
    const active = await this.#store.findActive()
    if (active === undefined) {
      if ((await this.#store.list()).length === 0 && !(await this.#store.anySecretStored())) {
        await this.#rotate({ actor: KEYRING_ACTOR, reason: 'first' }, null)
        return
      }
      this.#active = null
      // Still prove the root key opens this vault, on any key that is left.
      const live = (await this.#store.list()).find((k) => k.state !== 'retired')
      if (live !== undefined) await this.#keys.get(live.id)
      return
    }
    if (active.encryption_count >= this.nonceBudget) {
      await this.#rotate({ actor: KEYRING_ACTOR, reason: 'nonce-budget' }, active.id)
      return
    }
    await this.#keys.get(active.id)
    this.#adopt(active)
  }

  /**
   * A sealer for one write transaction that will seal at least `encryptions` fields, reserved now;
   * if the active key has no room for them, the keyring rotates first. Call it before the
   * transaction opens.
   */
  async sealerFor(encryptions: number): Promise<SecretSealer> {
    this.#assertOpen()
    if (!Number.isSafeInteger(encryptions) || encryptions < 0) throw new RangeError('encryptions must be a non-negative integer')
    if (encryptions > this.nonceBudget) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', `one write needs ${encryptions} encryptions but the nonce budget of a data key is ${this.nonceBudget}`)
    }
    for (let round = 0; round < 1_000; round++) {
      const budget = this.#requireActive()
      if (budget.reserve(encryptions)) return this.#sealerOn(budget, encryptions)
      await this.#makeRoom(budget, encryptions)
    }
    throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', 'could not reserve room in a data key after many rotations', { details: { retryable: true } })
  }

  /** A sealer with nothing reserved (its commit still checks the budget). Prefer `sealerFor`. */
  sealer(): SecretSealer {
    this.#assertOpen()
    return this.#sealerOn(this.#requireActive(), 0)
  }

  /**
   * Decrypts a stored field bound to `place`. The caller wipes the result. Inside a transaction,
   * pass it as `via`: a data key not yet unwrapped is then read through it.
   */
  async decrypt(value: string, place: SecretPlace, via?: Executor): Promise<Uint8Array> {
    this.#assertOpen()
    const { dataKeyId, sealed } = parseSecretField(value)
    const key = this.#keys.cached(dataKeyId) ?? (await this.#keys.get(dataKeyId, via))
    return openAesGcm(key, sealed, associatedData(dataKeyId, place))
  }

  /** Unwraps (and caches) a data key, proving the root key opens it. Load before a transaction opens, or pass it as `via`. */
  async loadDataKey(id: string, via?: Executor): Promise<void> {
    this.#assertOpen()
    await this.#keys.get(id, via)
  }

  /** A copy of an unwrapped data key, for rewrapping it under another key. The caller wipes it. */
  async dataKeyCopy(id: string, via?: Executor): Promise<Uint8Array> {
    this.#assertOpen()
    return Uint8Array.from(await this.#keys.get(id, via))
  }

  /** Makes a new active data key; the previous one (if any) becomes decrypt-only. Returns the new id. */
  async rotateActiveDataKey(rotation: DataKeyRotation = { reason: 'operator' }): Promise<string> {
    this.#assertOpen()
    return this.#rotate(rotation, ANY_PREVIOUS)
  }

  /** Wipes every unwrapped data key. The keyring is unusable afterwards. */
  async close(): Promise<void> {
    this.#closed = true
    this.#keys.close()
  }

  #requireActive(): NonceBudget {
    if (this.#active === null) {
      throw new CoffreError(
        'COFFRE_DATA_KEY_UNAVAILABLE',
        'this vault holds secrets but has no active data key (its row was deleted or the database was altered); check `coffre doctor`, then run `coffre keys rotate-data` to make a new one',
      )
    }
    return this.#active
  }

  #sealerOn(budget: NonceBudget, reserved: number): SecretSealer {
    const id = budget.dataKeyId
    const key = this.#keys.cached(id)
    if (key === undefined) throw new CoffreError('COFFRE_DATA_KEY_UNAVAILABLE', 'the active data key is not loaded')
    return new SecretSealer(budget, reserved, (plaintext, place) => formatSecretField(id, sealAesGcm(key, plaintext, associatedData(id, place))), this.#store.addEncryptions)
  }

  #adopt(row: { readonly id: string; readonly encryption_count: number }): void {
    if (this.#active?.dataKeyId === row.id) this.#active.observe(Number(row.encryption_count))
    else this.#active = new NonceBudget(row.id, this.nonceBudget, Number(row.encryption_count))
  }

  /**
   * One at a time per process: re-read the active key and rotate it if it really has no room for
   * `n` — spent by committed encryptions, not merely reserved by writes still in flight here.
   */
  async #makeRoom(budget: NonceBudget, n: number): Promise<void> {
    this.#makingRoom ??= (async () => {
      const row = await this.#store.findActive()
      if (row === undefined) {
        this.#active = null
        return
      }
      if (row.id !== budget.dataKeyId) {
        await this.#keys.get(row.id)
        this.#adopt(row)
        return
      }
      budget.observe(Number(row.encryption_count))
      if (budget.free() >= n) return
      // Writes of this process still hold room on this key: replacing it now would make each of them
      // fail at commit (a decrypt-only key takes no encryptions) and retry, perhaps for ever under
      // load. Wait until one ends, then look again.
      if (budget.reserved > 0) {
        await budget.nextSettlement()
        return
      }
      await this.#rotate({ actor: KEYRING_ACTOR, reason: 'nonce-budget' }, row.id)
    })().finally(() => {
      this.#makingRoom = null
    })
    await this.#makingRoom
  }

  /**
   * New active key, previous one decrypt-only, audit entry — one transaction. With `expected`, only
   * if the active key is still that one (else another process rotated first: adopt its key).
   */
  async #rotate(rotation: DataKeyRotation, expected: string | null | typeof ANY_PREVIOUS): Promise<string> {
    const at = this.#now().toISOString()
    const id = newDataKeyId()
    const { plaintext, wrapped } = await this.#provider.generateDataKey({ dataKeyId: id })
    let superseded = false
    let seen: string | null = this.#active?.dataKeyId ?? null
    try {
      await this.#store.transaction(async (trx) => {
        const previous = await this.#store.findActive(trx)
        seen = previous?.id ?? null
        if (expected !== ANY_PREVIOUS && (previous?.id ?? null) !== expected) {
          superseded = true
          return
        }
        if (previous !== undefined) await this.#store.setState(trx, previous.id, 'decrypt-only', at)
        await this.#store.insert(trx, this.#row(id, wrapped, at))
        await rotation.within?.(trx, { from: previous?.id ?? null, to: id })
        const details = { from: previous?.id ?? null, to: id, reason: rotation.reason, ...(previous === undefined && expected !== null ? { replacesMissingActiveKey: true } : {}) }
        await this.#store.appendAudit(trx, [{ action: previous === undefined ? 'keys.create-data-key' : 'keys.rotate-data-key', actor: rotation.actor ?? KEYRING_ACTOR, subject: `data_key:${id}`, details }])
      })
    } catch (error) {
      plaintext.fill(0)
      // Another process made a key at the same moment (the one-active index refused ours): its key wins.
      const active = await this.#store.findActive()
      if (active === undefined || active.id === seen) throw error
      await this.#keys.get(active.id)
      this.#adopt(active)
      return active.id
    }
    if (superseded) {
      plaintext.fill(0)
      await this.refresh()
      return this.activeDataKeyId
    }
    this.#keys.add(id, plaintext)
    this.#adopt({ id, encryption_count: 0 })
    return id
  }

  /** Changes a data key's state through the keyring's store (which authenticates the row; rotation's drain retires keys this way). */
  async setDataKeyState(trx: Transaction<Database>, id: string, state: DataKeyState, at: string): Promise<void> {
    await this.#store.setState(trx, id, state, at)
  }

  #row(id: string, wrapped: Uint8Array, at: string): Omit<DataKeyRow, 'encryption_count'> {
    const { kind, keyRef } = this.#provider.info
    return { id, state: 'active', wrapped_key: Buffer.from(wrapped).toString('base64'), provider_kind: kind, provider_key_ref: keyRef, created_at: at, state_changed_at: at }
  }

  #assertOpen(): void {
    if (this.#closed) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'keyring is closed')
  }
}
