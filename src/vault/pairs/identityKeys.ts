/**
 * A user's identity keys (main + derived) answered in three tiers, cheapest first:
 * 1. this vault's bounded in-memory DerivedKeyIndex, looked up by the identity PUBLIC key
 *    (`findByMainPublicKey`: no secret, no I/O);
 * 2. the persisted `derived_public_keys` rows (one indexed query, shared by every process and instance);
 * 3. only when neither covers the range: decrypt the identity key through `useIdentityKey` (audited),
 *    derive the missing keys once, persist them and index them in memory.
 * Every answer equals the seed's linear definition (`findPublicKeyInIdentity`).
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { deriveChildPublicKeyBytes, mainPublicKeyBytes } from '../../derive/deriveChildPublicKey.ts'
import type { DerivedKeyIndex, KeyPosition } from '../../derive/derivedKeyIndex.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { derivedCoverage, insertDerivedKeys, listDerivedKeys, lookupDerivedKey } from '../../store/pairs.ts'
import type { UserRow } from '../../store/users.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { useIdentityKey } from '../keys/useKey.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'

/**
 * The vault's cap on `count` / `maxDerived` / `derivedCount`: keys up to it are persisted (about
 * 100 bytes a row) and the first extension to it costs two derivations per key (~8 s at 100,000).
 */
export const MAX_VAULT_DERIVED = 100_000
/** Extensions round up to a multiple of this, so count 10, 11, 12… does not decrypt three times. */
const EXTENSION_STEP = 64

export function assertVaultDerivedCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_VAULT_DERIVED) {
    throw invalidInput(`${field} must be an integer from 0 to ${MAX_VAULT_DERIVED}`, { field })
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

export type IdentityKeys = ReturnType<typeof createIdentityKeys>

export function createIdentityKeys(ctx: VaultContext, index: DerivedKeyIndex) {
  const db = ctx.store.db
  const extending = new Map<string, Promise<void>>() // one extension at a time per user in this process

  const requireUser = async (ref: UserRef): Promise<UserRow> => (await requireUserRows(ctx, ref)).user

  /** Makes sure derived(0 … target − 1) are persisted (and indexed in memory); decrypts only if needed. */
  const extend = async (user: UserRow, target: number, options: ActionOptions): Promise<void> => {
    for (;;) {
      const running = extending.get(user.id)
      if (running === undefined) break
      await running.catch(() => undefined)
    }
    const work = (async () => {
      const from = await derivedCoverage(db, user.id)
      if (from >= target) return
      const to = Math.min(MAX_VAULT_DERIVED, Math.ceil(target / EXTENSION_STEP) * EXTENSION_STEP)
      const use = { purpose: 'derive.index', details: { from, to }, ...(options.actor === undefined ? {} : { actor: options.actor }) }
      await useIdentityKey(ctx, { id: user.id }, use, async (privateKey, holder) => {
        if (hex(mainPublicKeyBytes(privateKey)) !== holder.address) {
          throw new CoffreError('COFFRE_ADDRESS_MISMATCH', 'the identity key does not match the stored identity public key')
        }
        const keys: string[] = []
        for (let i = from; i < to; i++) keys.push(hex(deriveChildPublicKeyBytes(privateKey, i)))
        await db.transaction().execute((trx) => insertDerivedKeys(trx, user.id, from, keys))
        // The index's API takes hex; this string lives only until the next GC (the spec's hex edge).
        index.prepare(hex(privateKey), to)
      })
    })()
    extending.set(user.id, work)
    try {
      await work
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
    for (let attempt = 0; attempt < 2; attempt++) {
      const { index: hit, coverage } = await lookupDerivedKey(db, user.id, key)
      if (hit !== undefined && hit < maxDerived) return hit
      if (coverage >= maxDerived) return null
      await extend(user, maxDerived, options)
    }
    throw new CoffreError('COFFRE_INTERNAL', 'derived keys were not persisted as far as asked')
  }

  /** [main, derived(0), …, derived(count − 1)] of the user's identity. */
  const list = async (ref: UserRef, count: number, options: ActionOptions = {}): Promise<string[]> => {
    assertVaultDerivedCount(count, 'count')
    const user = await requireUser(ref)
    let keys = await listDerivedKeys(db, user.id, count)
    if (keys.length < count) {
      await extend(user, count, options)
      keys = await listDerivedKeys(db, user.id, count)
    }
    if (keys.length !== count) throw new CoffreError('COFFRE_INTERNAL', 'derived keys were not persisted as far as asked')
    return [user.identity_public_key, ...keys]
  }

  return { find, list, index }
}
