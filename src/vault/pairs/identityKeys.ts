/**
 * A user's identity keys (main + derived) answered in three tiers, cheapest first:
 * 1. this vault's bounded in-memory DerivedKeyIndex, looked up by the identity PUBLIC key
 *    (`findByMainPublicKey`: no secret, no I/O);
 * 2. the persisted `derived_public_keys` rows (one indexed query, shared by every process and instance);
 * 3. only when neither covers the range: decrypt the identity key through `useIdentityKey` (audited),
 *    derive the missing keys once, persist them and index them in memory.
 * Every answer equals the seed's linear definition (`findPublicKeyInIdentity`).
 *
 * Work per call is bounded (issue 9: a read-only token must not make the vault derive and write
 * 100,000 keys in one request): a call derives at most MAX_DERIVATIONS_PER_CALL new keys and
 * returns at most DERIVED_KEYS_PER_PAGE of them. Listing pages by offset; a membership check or a
 * page beyond the indexed range extends it by one step and, if that is not enough, fails with
 * COFFRE_CONFLICT naming how far the keys are indexed — repeating the call continues from there.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { CoffreError, invalidInput } from '../../errors.ts'
import { deriveChildPublicKeyBytes, mainPublicKeyBytes } from '../../derive/deriveChildPublicKey.ts'
import type { DerivedKeyIndex, KeyPosition } from '../../derive/derivedKeyIndex.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { derivedCoverage, findDerivedKeyRow, insertDerivedKeys, listDerivedKeyRange, lookupDerivedKey } from '../../store/pairs.ts'
import type { UserRow } from '../../store/users.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { useIdentityKey } from '../keys/useKey.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'

/** The vault's cap on `count` / `maxDerived` / `derivedCount` (keys up to it can be persisted, ~100 bytes a row). */
export const MAX_VAULT_DERIVED = 100_000
/** The most derived public keys one call returns (a page). */
export const DERIVED_KEYS_PER_PAGE = 1_000
/** The most new derived keys one call computes and persists (~50 ms of curve work). */
export const MAX_DERIVATIONS_PER_CALL = 1_024
/** Extensions round up to a multiple of this, so count 10, 11, 12… does not decrypt three times. */
const EXTENSION_STEP = 64
/** Derivations between two yields to the event loop, so signing is not held up behind an extension. */
const DERIVATIONS_PER_SLICE = 128

export type DerivedKeyPage = { readonly publicKeys: string[]; readonly nextOffset: number | null }

export function assertVaultDerivedCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_VAULT_DERIVED) {
    throw invalidInput(`${field} must be an integer from 0 to ${MAX_VAULT_DERIVED}`, { field })
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

const notIndexedYet = (coverage: number, wanted: number): CoffreError =>
  new CoffreError(
    'COFFRE_CONFLICT',
    `derived keys are indexed up to ${coverage} of the ${wanted} asked; a call indexes at most ${MAX_DERIVATIONS_PER_CALL} more: repeat it, or page from a lower offset`,
    { details: { indexedUpTo: coverage } },
  )

export type IdentityKeys = ReturnType<typeof createIdentityKeys>

export function createIdentityKeys(ctx: VaultContext, index: DerivedKeyIndex) {
  const db = ctx.store.db
  const extending = new Map<string, Promise<number>>() // one extension at a time per user in this process

  const requireUser = async (ref: UserRef): Promise<UserRow> => (await requireUserRows(ctx, ref)).user

  /** Persisted derived(from … to − 1), each row authenticated (COFFRE_INTEGRITY_FAILED for one rewritten by SQL). */
  const authenticRange = async (userId: string, from: number, to: number): Promise<string[]> => {
    const rows = await listDerivedKeyRange(db, userId, from, to)
    for (const row of rows) ctx.integrity.require('derived_public_keys', row)
    return rows.map((row) => row.public_key)
  }

  /**
   * The in-memory index grows from what it already holds, without deriving anything again: the new
   * keys, preceded by the persisted ones it lacks (public keys read from the table) when that gap is
   * at most one bounded step.
   */
  const indexDerived = async (user: UserRow, from: number, keys: readonly Uint8Array[]): Promise<void> => {
    const held = index.indexedCount(user.identity_public_key)
    if (held > from || from + keys.length - held > MAX_DERIVATIONS_PER_CALL) return
    const gap = (await authenticRange(user.id, held, from)).map((key) => new Uint8Array(Buffer.from(key, 'hex')))
    if (gap.length !== from - held) return
    index.append(user.identity_public_key, held, [...gap, ...keys])
  }

  /**
   * Persists derived keys toward `target` (and indexes them in memory), at most
   * MAX_DERIVATIONS_PER_CALL of them; returns how many are persisted afterwards (rows 0 … n − 1).
   */
  const extend = async (user: UserRow, target: number, options: ActionOptions): Promise<number> => {
    for (;;) {
      const running = extending.get(user.id)
      if (running === undefined) break
      await running.catch(() => undefined)
    }
    const work = (async () => {
      const from = await derivedCoverage(db, user.id)
      if (from >= target) return from
      const to = Math.min(MAX_VAULT_DERIVED, Math.ceil(target / EXTENSION_STEP) * EXTENSION_STEP, from + MAX_DERIVATIONS_PER_CALL)
      const use = { purpose: 'derive.index', details: { from, to }, ...(options.actor === undefined ? {} : { actor: options.actor }) }
      // Each key is derived once: its bytes go to the table rows (hex) and to the in-memory index.
      const derived = await useIdentityKey(ctx, { id: user.id }, use, async (privateKey, holder) => {
        if (hex(mainPublicKeyBytes(privateKey)) !== holder.address) {
          throw new CoffreError('COFFRE_ADDRESS_MISMATCH', 'the identity key does not match the stored identity public key')
        }
        const keys: Uint8Array[] = []
        for (let i = from; i < to; i++) {
          keys.push(deriveChildPublicKeyBytes(privateKey, i))
          if ((i - from) % DERIVATIONS_PER_SLICE === DERIVATIONS_PER_SLICE - 1) await yieldToEventLoop()
        }
        return keys
      })
      await db.transaction().execute((trx) => insertDerivedKeys(trx, user.id, from, derived.map(hex), (row) => ctx.integrity.macOf('derived_public_keys', row)))
      await indexDerived(user, from, derived)
      return to
    })()
    extending.set(user.id, work)
    try {
      return await work
    } finally {
      extending.delete(user.id)
    }
  }

  /** Where the key sits in the user's identity: 'main', the lowest derived index below maxDerived, or null. */
  const find = async (ref: UserRef, publicKeyHex: string, maxDerived = 0, options: ActionOptions = {}): Promise<KeyPosition> => {
    assertVaultDerivedCount(maxDerived, 'maxDerived')
    const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex').hex
    const user = await requireUser(ref)
    const quick = index.findByMainPublicKey(user.identity_public_key, key, maxDerived)
    if (quick !== undefined) return quick
    let extended = false
    for (;;) {
      const { index: hit, coverage } = await lookupDerivedKey(db, user.id, key)
      if (hit !== undefined && hit < maxDerived) {
        // The hit's row must authenticate: a key rewritten by SQL never "belongs".
        const row = await findDerivedKeyRow(db, user.id, hit)
        if (row === undefined || row.public_key !== key) throw new CoffreError('COFFRE_CONFLICT', 'the derived key changed while it was looked up; try again')
        ctx.integrity.require('derived_public_keys', row)
        return hit
      }
      if (coverage >= maxDerived) return null
      if (extended) throw notIndexedYet(coverage, maxDerived)
      await extend(user, maxDerived, options)
      extended = true
    }
  }

  /**
   * One page of [main, derived(0), …, derived(count − 1)]: derived(offset … end − 1) with
   * end = min(count, offset + DERIVED_KEYS_PER_PAGE), preceded by main on the first page (offset 0).
   * Pages concatenate to the whole list; `nextOffset` is null on the last page.
   */
  const page = async (ref: UserRef, request: { readonly count: number; readonly offset?: number }, options: ActionOptions = {}): Promise<DerivedKeyPage> => {
    const { count, offset = 0 } = request
    assertVaultDerivedCount(count, 'count')
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset > count) {
      throw invalidInput('offset must be an integer from 0 to count', { field: 'offset' })
    }
    const user = await requireUser(ref)
    const end = Math.min(count, offset + DERIVED_KEYS_PER_PAGE)
    let keys = await authenticRange(user.id, offset, end)
    if (keys.length < end - offset) {
      const coverage = await extend(user, end, options)
      if (coverage < end) throw notIndexedYet(coverage, end)
      keys = await authenticRange(user.id, offset, end)
    }
    if (keys.length !== end - offset) throw new CoffreError('COFFRE_INTERNAL', 'derived keys were not persisted as far as asked')
    return { publicKeys: offset === 0 ? [user.identity_public_key, ...keys] : keys, nextOffset: end < count ? end : null }
  }

  /** [main, derived(0), …, derived(count − 1)] of the user's identity, for count ≤ DERIVED_KEYS_PER_PAGE. */
  const list = async (ref: UserRef, count: number, options: ActionOptions = {}): Promise<string[]> => {
    assertVaultDerivedCount(count, 'count')
    if (count > DERIVED_KEYS_PER_PAGE) throw invalidInput(`count above ${DERIVED_KEYS_PER_PAGE}: read the keys a page at a time (publicKeyPage with an offset)`, { field: 'count' })
    return (await page(ref, { count }, options)).publicKeys
  }

  return { find, page, list, index }
}
