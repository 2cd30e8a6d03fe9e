/** A persisted pair as the library, CLI and HTTP API return it: the seed's PairConfig plus its row facts. */
import type { PairConfig } from '../../derive/pairConfig.ts'
import type { PairRow } from '../../store/pairs.ts'

export type StoredPair = {
  readonly uuid: string
  readonly label: string | null
  /** Set for the local pair: the user whose identity key it is. */
  readonly userId: string | null
  /** Main key (compressed hex); the identity public key for a local pair; absent if the pair has none. */
  readonly publicKey?: string
  /** Extra keys, in the order added (always empty for a local pair: its keys are derived). */
  readonly publicKeys: string[]
  /** Local pair: it owns main + derived(0 … derivedCount − 1); 0 for a remote pair. */
  readonly derivedCount: number
  readonly createdAt: string
  readonly updatedAt: string
}

export function toStoredPair(row: PairRow, keys: readonly string[]): StoredPair {
  return {
    uuid: row.uuid,
    label: row.label,
    userId: row.user_id,
    ...(row.public_key === null ? {} : { publicKey: row.public_key }),
    publicKeys: [...keys],
    derivedCount: Number(row.derived_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The seed's PairConfig view of a stored pair, for the pure functions of src/derive. */
export function toPairConfig(pair: StoredPair): PairConfig {
  return {
    uuid: pair.uuid,
    ...(pair.label === null ? {} : { label: pair.label }),
    ...(pair.publicKey === undefined ? {} : { publicKey: pair.publicKey }),
    publicKeys: [...pair.publicKeys],
  }
}
