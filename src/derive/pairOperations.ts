import { CoffreError, invalidInput } from '../errors.ts'
import { assertPairConfig, type PairConfig } from './pairConfig.ts'
import { withoutPairPublicKey, withPairPublicKey } from './pairPublicKeyEdits.ts'
import { parsePublicKeyHex } from './parsePublicKeyHex.ts'

/**
 * Where pairs persist: the vault's store implements this (Kysely's idea of a small interface of our
 * own for an injected driver). `get` resolves undefined for an unknown uuid. An implementation that
 * can run concurrent writers should make a get-then-save atomic for one uuid (a transaction with
 * SELECT … FOR UPDATE, or SQLite's single writer), or two concurrent additions could lose one.
 */
export interface PairRepository {
  get(uuid: string): Promise<PairConfig | undefined> | PairConfig | undefined
  save(pair: PairConfig): Promise<void> | void
}

export type PairOperations = {
  addPairPublicKey(pairUuid: string, publicKeyHex: string): Promise<PairConfig>
  removePairPublicKey(pairUuid: string, publicKeyHex: string): Promise<PairConfig>
}

function assertRepository(repository: unknown): asserts repository is PairRepository {
  const candidate = repository as Partial<PairRepository> | null
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.get !== 'function' || typeof candidate.save !== 'function') {
    throw invalidInput('repository must have get(uuid) and save(pair) methods', { field: 'repository' })
  }
}

async function editPair(pairUuid: unknown, publicKeyHex: unknown, repository: unknown, edit: (pair: PairConfig, key: string) => PairConfig): Promise<PairConfig> {
  if (typeof pairUuid !== 'string' || pairUuid.length === 0) throw invalidInput('pairUuid must be a non-empty string', { field: 'pairUuid' })
  const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex').hex
  assertRepository(repository)
  const pair = await repository.get(pairUuid)
  if (pair === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid', { details: { pairUuid } })
  assertPairConfig(pair, 'stored pair')
  if (pair.uuid !== pairUuid) throw new CoffreError('COFFRE_INTERNAL', 'The repository returned another pair than the one asked for')
  const edited = edit(pair, key)
  const unchanged = JSON.stringify(edited.publicKeys) === JSON.stringify(pair.publicKeys) && edited.publicKey === pair.publicKey
  if (!unchanged) await repository.save(edited)
  return edited
}

/** Adds a key to the stored pair's `publicKeys` (no duplicate of `publicKey` or of a listed key). Saves only on change. */
export function addPairPublicKey(pairUuid: string, publicKeyHex: string, repository: PairRepository): Promise<PairConfig> {
  return editPair(pairUuid, publicKeyHex, repository, withPairPublicKey)
}

/** Removes a key from the stored pair's `publicKeys`. Saves only on change. */
export function removePairPublicKey(pairUuid: string, publicKeyHex: string, repository: PairRepository): Promise<PairConfig> {
  return editPair(pairUuid, publicKeyHex, repository, withoutPairPublicKey)
}

/**
 * Binds the pair operations to one repository, so the package entry can expose the seed's two-argument
 * `addPairPublicKey(pairUuid, publicKeyHex)` on an opened vault (`vault.pairs.addPairPublicKey`) with no
 * module-level state.
 */
export function createPairOperations(repository: PairRepository): PairOperations {
  assertRepository(repository)
  return {
    addPairPublicKey: (pairUuid, publicKeyHex) => addPairPublicKey(pairUuid, publicKeyHex, repository),
    removePairPublicKey: (pairUuid, publicKeyHex) => removePairPublicKey(pairUuid, publicKeyHex, repository),
  }
}
