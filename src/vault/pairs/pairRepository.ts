/**
 * The store's PairRepository for src/derive's `addPairPublicKey` / `createPairOperations`.
 *
 * `get` and `save` are separate calls, so a plain "overwrite with what I read and edited" would lose
 * one of two concurrent additions. Instead `get` tags the PairConfig it returns with the key list it
 * read (a symbol property: the pure edits copy it, JSON never shows it), and `save` applies only the
 * difference between that list and the edited one, to the row as it is now — inside one transaction
 * that holds the pair row's lock (FOR UPDATE on PostgreSQL; SQLite write transactions are exclusive).
 * Concurrent additions and removals therefore all land, whichever order they commit in. Each key added
 * or removed is audited in the same transaction.
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { assertPairConfig, type PairConfig } from '../../derive/pairConfig.ts'
import type { PairRepository } from '../../derive/pairOperations.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import { deletePairKeys, findPair, insertPairKeys, lockPair, touchPair } from '../../store/pairs.ts'
import { authenticPair, authenticPairKeys, pairKeyMac } from './authenticPairs.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { MAX_PAIR_PUBLIC_KEYS, parsePairUuid, parsePublicKeyList } from './pairInput.ts'
import { toPairConfig, toStoredPair } from './storedPair.ts'

const READ_KEYS = Symbol('coffre.pair.readKeys')
type ReadPair = PairConfig & { [READ_KEYS]?: readonly string[] }

export type PairChange = { readonly added: string[]; readonly removed: string[] }

export function createStorePairRepository(ctx: VaultContext, options: ActionOptions = {}): PairRepository & { saveChanges(pair: PairConfig): Promise<PairChange> } {
  const db = ctx.store.db
  const actor = options.actor ?? DEFAULT_ACTOR

  const get = async (uuid: string): Promise<PairConfig | undefined> => {
    const key = parsePairUuid(uuid, 'pairUuid')
    const row = authenticPair(ctx, await findPair(db, key))
    if (row === undefined) return undefined
    const keys = (await authenticPairKeys(ctx, db, [key])).get(key) ?? []
    const pair: ReadPair = toPairConfig(toStoredPair(row, keys))
    Object.defineProperty(pair, READ_KEYS, { value: Object.freeze([...keys]), enumerable: true })
    return pair
  }

  /** Applies the pair's edits since `get` (or, for a PairConfig not read here, makes its extra keys exactly these). */
  const saveChanges = async (pair: PairConfig): Promise<PairChange> => {
    assertPairConfig(pair)
    const uuid = parsePairUuid(pair.uuid)
    const main = pair.publicKey === undefined ? null : parsePublicKeyHex(pair.publicKey, 'pair.publicKey').hex
    const wanted = parsePublicKeyList(pair.publicKeys ?? [], 'pair.publicKeys', main ?? undefined)
    const read = (pair as ReadPair)[READ_KEYS]
    const now = new Date().toISOString()
    return db.transaction().execute(async (trx) => {
      const row = authenticPair(ctx, await lockPair(trx, ctx.store.dialect, uuid))
      if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid', { details: { pairUuid: uuid } })
      if (main !== row.public_key) throw new CoffreError('COFFRE_CONFLICT', "a pair's main public key cannot be changed")
      const current = (await authenticPairKeys(ctx, trx, [uuid])).get(uuid) ?? []
      const base = read ?? current
      const added = wanted.filter((key) => !base.includes(key) && !current.includes(key))
      const removed = base.filter((key) => !wanted.includes(key) && current.includes(key))
      if (added.length > 0 && row.user_id !== null) {
        throw new CoffreError('COFFRE_UNSUPPORTED', "a local pair's keys are its identity's main and derived keys; extra keys cannot be added")
      }
      if (added.length === 0 && removed.length === 0) return { added, removed }
      if (current.length + added.length - removed.length > MAX_PAIR_PUBLIC_KEYS) {
        throw invalidInput(`a pair holds at most ${MAX_PAIR_PUBLIC_KEYS} extra public keys`, { field: 'publicKeys' })
      }
      await insertPairKeys(trx, uuid, added, now, pairKeyMac(ctx))
      await deletePairKeys(trx, uuid, removed)
      await touchPair(trx, uuid, now)
      const subject = `pair:${uuid}`
      const audit: AuditEntry[] = [
        ...added.map((publicKey) => ({ action: 'pair.key.add', actor, subject, details: { publicKey } })),
        ...removed.map((publicKey) => ({ action: 'pair.key.remove', actor, subject, details: { publicKey } })),
      ]
      await appendAuditEntries(trx, ctx.store.dialect, audit)
      ctx.observer.audited?.('pair.key', audit.length)
      return { added, removed }
    })
  }

  return { get, save: async (pair) => void (await saveChanges(pair)), saveChanges }
}
