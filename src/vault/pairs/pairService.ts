/**
 * `vault.pairs`: persisted pairs (seed 004). A remote pair owns {publicKey} ∪ publicKeys; the local
 * pair of a user (created with `user`) owns its identity's main key and derived(0 … derivedCount − 1),
 * answered through the vault's identity index. Every change is audited in its own transaction.
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { getPairPublicKeys } from '../../derive/getPairPublicKeys.ts'
import { createPairOperations } from '../../derive/pairOperations.ts'
import { pairContainsPublicKey } from '../../derive/pairContainsPublicKey.ts'
import { withoutPairPublicKey, withPairPublicKey } from '../../derive/pairPublicKeyEdits.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { newUuidV7 } from '../../ids.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { countPairKeys, deletePair, findPair, findPairKeys, insertPair, insertPairKeys, listPairs, lockPair } from '../../store/pairs.ts'
import { authenticPair, authenticPairKeys, pairKeyMac } from './authenticPairs.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { assertVaultDerivedCount, type IdentityKeys } from './identityKeys.ts'
import { MAX_PAIR_PUBLIC_KEYS, parsePairLabel, parsePairUuid, parsePublicKeyList } from './pairInput.ts'
import { authorize, settleCharges } from '../policies/authorize.ts'
import { createStorePairRepository } from './pairRepository.ts'
import { toPairConfig, toStoredPair, type StoredPair } from './storedPair.ts'

export type CreatePairInput = {
  /** Generated (UUIDv7) when absent. */
  readonly uuid?: string
  readonly label?: string | null
  /** Remote pair: main key and extra keys. Not allowed with `user`. */
  readonly publicKey?: string
  readonly publicKeys?: readonly string[]
  /** Local pair: the user whose identity key it is (at most one local pair per user). */
  readonly user?: UserRef
  /** Local pair only: derived keys it owns (default 0). */
  readonly derivedCount?: number
}

export type PairPage = { readonly pairs: StoredPair[]; readonly nextCursor: string | null }

export { MAX_PAIR_PUBLIC_KEYS }
/** The most public keys (main + extra, over all its pairs) one page of `list` carries. */
export const MAX_PAIR_KEYS_PER_PAGE = 10_000

export function createPairService(ctx: VaultContext, identity: IdentityKeys) {
  const db = ctx.store.db
  const repository = createStorePairRepository(ctx)
  const bound = createPairOperations(repository)
  const actorOf = (options: ActionOptions) => options.actor ?? DEFAULT_ACTOR

  const get = async (uuid: string): Promise<StoredPair | null> => {
    const key = parsePairUuid(uuid)
    const row = authenticPair(ctx, await findPair(db, key))
    return row === undefined ? null : toStoredPair(row, (await authenticPairKeys(ctx, db, [key])).get(key) ?? [])
  }
  const require = async (uuid: string): Promise<StoredPair> => {
    const pair = await get(uuid)
    if (pair === null) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid', { details: { pairUuid: parsePairUuid(uuid) } })
    return pair
  }

  /** Applies pure edits (all keys validated first) and saves the difference in one audited transaction. */
  const edit = async (uuid: string, keys: readonly string[], change: typeof withPairPublicKey, options: ActionOptions): Promise<StoredPair> => {
    await settleCharges(ctx, options, null, await authorize(ctx, options, null, { operation: 'pairs' }))
    const key = parsePairUuid(uuid)
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > 1000) throw invalidInput('give 1 to 1000 public keys', { field: 'publicKeys' })
    for (const k of keys) parsePublicKeyHex(k, 'publicKey')
    const store = createStorePairRepository(ctx, options)
    const pair = await store.get(key)
    if (pair === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid', { details: { pairUuid: key } })
    const edited = keys.reduce(change, pair)
    await store.saveChanges(edited)
    return require(key)
  }

  return {
    /** The PairRepository over this vault's store, for the exported 3-argument `addPairPublicKey`. */
    repository,
    /** Seed 004's `addPairPublicKey(pairUuid, publicKeyHex)`, bound to this vault's store. */
    addPairPublicKey: bound.addPairPublicKey,
    removePairPublicKey: bound.removePairPublicKey,

    async create(input: CreatePairInput, options: ActionOptions = {}): Promise<StoredPair> {
      if (typeof input !== 'object' || input === null) throw invalidInput('pair input must be an object')
      const uuid = input.uuid === undefined ? newUuidV7() : parsePairUuid(input.uuid)
      const label = parsePairLabel(input.label)
      const local = input.user !== undefined
      if (local && (input.publicKey !== undefined || input.publicKeys !== undefined)) {
        throw invalidInput("a local pair's keys come from its user's identity key; do not give publicKey or publicKeys", { field: 'publicKey' })
      }
      if (!local && input.derivedCount !== undefined) throw invalidInput('derivedCount applies to a local pair only', { field: 'derivedCount' })
      const derivedCount = input.derivedCount ?? 0
      assertVaultDerivedCount(derivedCount, 'derivedCount')
      const main = input.publicKey === undefined ? null : parsePublicKeyHex(input.publicKey, 'publicKey').hex
      const extra = parsePublicKeyList(input.publicKeys, 'publicKeys', main ?? undefined)
      await settleCharges(ctx, options, null, await authorize(ctx, options, local ? (input.user as UserRef) : null, { operation: 'pairs' }))
      const user = local ? (await requireUserRows(ctx, input.user as UserRef)).user : undefined
      const now = new Date().toISOString()
      const row = { uuid, label, user_id: user?.id ?? null, public_key: user?.identity_public_key ?? main, derived_count: derivedCount, created_at: now, updated_at: now }
      await db.transaction().execute(async (trx) => {
        if (!(await insertPair(trx, { ...row, row_mac: ctx.integrity.macOf('pairs', row) }))) {
          throw new CoffreError('COFFRE_CONFLICT', user === undefined ? 'a pair with this uuid exists' : 'a pair with this uuid, or a local pair for this user, exists')
        }
        await insertPairKeys(trx, uuid, extra, now, pairKeyMac(ctx))
        const details = { local, keys: extra.length + (row.public_key === null ? 0 : 1), derivedCount, ...(label === null ? {} : { label }) }
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'pair.create', actor: actorOf(options), userId: row.user_id, subject: `pair:${uuid}`, details }])
      })
      ctx.observer.audited?.('pair.create', 1)
      return toStoredPair(row, extra)
    },

    get,

    /** Pairs in uuid order: at most `limit` (1 to 500) and at most MAX_PAIR_KEYS_PER_PAGE keys in total (at least one pair). */
    async list(options: { limit?: number; cursor?: string } = {}): Promise<PairPage> {
      const limit = options.limit ?? 100
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) throw invalidInput('limit must be an integer from 1 to 500', { field: 'limit' })
      const afterUuid = options.cursor === undefined ? undefined : parsePairUuid(options.cursor, 'cursor')
      const rows = await listPairs(db, { limit, ...(afterUuid === undefined ? {} : { afterUuid }) })
      const counts = await countPairKeys(db, rows.map((row) => row.uuid))
      let held = 0
      let kept = 0
      for (const row of rows) {
        const size = (counts.get(row.uuid) ?? 0) + 1
        if (kept > 0 && held + size > MAX_PAIR_KEYS_PER_PAGE) break
        held += size
        kept += 1
      }
      const page = rows.slice(0, kept).map((row) => authenticPair(ctx, row))
      const keys = await authenticPairKeys(ctx, db, page.map((row) => row.uuid))
      const pairs = page.map((row) => toStoredPair(row, keys.get(row.uuid) ?? []))
      return { pairs, nextCursor: kept < rows.length || rows.length === limit ? (page.at(-1)?.uuid ?? null) : null }
    },

    /** Adds keys to `publicKeys` (a key equal to `publicKey` or already listed is skipped). */
    addKeys: (uuid: string, publicKeys: readonly string[], options: ActionOptions = {}) => edit(uuid, publicKeys, withPairPublicKey, options),
    /** Removes keys from `publicKeys`; the main key cannot be removed. */
    removeKeys: (uuid: string, publicKeys: readonly string[], options: ActionOptions = {}) => edit(uuid, publicKeys, withoutPairPublicKey, options),

    async delete(uuid: string, options: ActionOptions = {}): Promise<StoredPair> {
      await settleCharges(ctx, options, null, await authorize(ctx, options, null, { operation: 'pairs' }))
      const key = parsePairUuid(uuid)
      return db.transaction().execute(async (trx) => {
        const row = await lockPair(trx, ctx.store.dialect, key)
        if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid', { details: { pairUuid: key } })
        const pair = toStoredPair(row, (await findPairKeys(trx, [key])).get(key) ?? [])
        await deletePair(trx, key)
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'pair.delete', actor: actorOf(options), userId: row.user_id, subject: `pair:${key}`, details: { keys: pair.publicKeys.length } }])
        return pair
      })
    },

    /** pairContainsPublicKey; for the local pair `maxDerived` defaults to its derivedCount and is answered by index. */
    async contains(uuid: string, publicKeyHex: string, maxDerived?: number, options: ActionOptions = {}): Promise<boolean> {
      if (maxDerived !== undefined) assertVaultDerivedCount(maxDerived, 'maxDerived')
      parsePublicKeyHex(publicKeyHex, 'publicKeyHex')
      const pair = await require(uuid)
      if (pair.userId === null) return pairContainsPublicKey(toPairConfig(pair), publicKeyHex)
      return (await identity.find({ id: pair.userId }, publicKeyHex, maxDerived ?? pair.derivedCount, options)) !== null
    },

    /** getPairPublicKeys: local pair → main + derived(0 … derivedCount − 1); remote → publicKey + publicKeys. */
    async publicKeys(uuid: string, derivedCount?: number, options: ActionOptions = {}): Promise<string[]> {
      if (derivedCount !== undefined) assertVaultDerivedCount(derivedCount, 'derivedCount')
      const pair = await require(uuid)
      if (pair.userId === null) return getPairPublicKeys(toPairConfig(pair))
      return identity.list({ id: pair.userId }, derivedCount ?? pair.derivedCount, options)
    },
  }
}
