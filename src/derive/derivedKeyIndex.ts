import { LRUCache } from 'lru-cache'
import { invalidInput } from '../errors.ts'
import { deriveChildPublicKeyBytes, mainPublicKeyBytes } from './deriveChildPublicKey.ts'
import { DerivedKeyTable } from './derivedKeyTable.ts'
import { assertDerivedCount } from './integerGuards.ts'
import { parsePrivateKeyHex } from './parsePrivateKeyHex.ts'
import { assertOnCurve, parsePublicKeyShape, type PublicKeyInput } from './parsePublicKeyHex.ts'
import { sameBytes, scanDerivedPublicKeys } from './scanDerivedPublicKeys.ts'

/** Where a public key sits in an identity: its main key, a derived index, or nowhere. */
export type KeyPosition = 'main' | number | null

export type DerivedKeyIndexOptions = {
  /** Cap on keys held across all identities (each identity counts 1 + its derived keys). Default 250,000 (~15 MB). */
  maxKeys?: number
}

export type DerivedKeyIndexStats = { identities: number; keys: number; maxKeys: number; bytes: number }

export interface DerivedKeyIndex {
  /** Same answer as the linear definition; derives (once) and indexes what is missing, then looks up. */
  find(identityPrivateKeyHex: string, publicKeyHex: string, maxDerived: number): KeyPosition
  /** Answer from the index alone, without any private key; `undefined` when not indexed far enough to know. */
  findByMainPublicKey(mainPublicKeyHex: string, publicKeyHex: string, maxDerived: number): KeyPosition | undefined
  /** Derives and indexes derived(0 … derivedCount − 1) ahead of use; returns the main public key (hex). */
  prepare(identityPrivateKeyHex: string, derivedCount: number): string
  /**
   * Indexes keys derived elsewhere (no private key needed, nothing derived again): `keys` are the
   * 33-byte derived(from), derived(from + 1), … of the identity whose main public key is
   * `mainPublicKeyHex`. Only extends an identity indexed exactly up to `from` (or absent, with
   * `from` = 0); returns whether it did.
   */
  append(mainPublicKeyHex: string, from: number, keys: readonly Uint8Array[]): boolean
  /** How many derived keys of this identity (by its main public key, lowercase hex) are indexed; 0 if none. */
  indexedCount(mainPublicKeyHex: string): number
  stats(): DerivedKeyIndexStats
  clear(): void
}

export const DEFAULT_MAX_INDEXED_KEYS = 250_000

/**
 * An LRU (lru-cache) of identities → DerivedKeyTable, keyed by the identity's main public key (never
 * by anything secret), bounded by `maxKeys` in total. It holds public keys only: the private key is needed to
 * extend an identity's table and is never retained. Every derived key is still HMAC → scalar → scalar·G.
 */
export function createDerivedKeyIndex(options: DerivedKeyIndexOptions = {}): DerivedKeyIndex {
  if (typeof options !== 'object' || options === null) throw invalidInput('options must be an object')
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_INDEXED_KEYS
  if (typeof maxKeys !== 'number' || !Number.isSafeInteger(maxKeys) || maxKeys < 0) {
    throw invalidInput('maxKeys must be a non-negative integer', { field: 'maxKeys' })
  }
  // Least recently used identities go first when the keys held would pass maxKeys; an identity
  // counts 1 + its derived keys, re-measured each time its table grows.
  const identities = new LRUCache<string, DerivedKeyTable>({ maxSize: Math.max(maxKeys, 1), sizeCalculation: (table) => table.count + 1 })

  const touch = (id: string): DerivedKeyTable | undefined => identities.get(id)

  /** Grows `id`'s table to `target` derived keys (the cache then evicts the least recently used other identities). */
  const extend = (id: string, parent: Uint8Array, target: number): DerivedKeyTable => {
    const table = identities.get(id) ?? new DerivedKeyTable()
    table.reserve(target)
    for (let index = table.count; index < target; index++) table.append(deriveChildPublicKeyBytes(parent, index))
    identities.set(id, table)
    return table
  }

  const locate = (table: DerivedKeyTable, key: PublicKeyInput, maxDerived: number): KeyPosition => {
    const index = table.indexOf(key.bytes)
    return index < maxDerived ? index : null
  }

  const find = (identityPrivateKeyHex: string, publicKeyHex: string, maxDerived: number): KeyPosition => {
    assertDerivedCount(maxDerived, 'maxDerived')
    const key = parsePublicKeyShape(publicKeyHex, 'publicKeyHex')
    const parent = parsePrivateKeyHex(identityPrivateKeyHex, 'identityPrivateKeyHex')
    try {
      const main = mainPublicKeyBytes(parent)
      if (sameBytes(main, key.bytes)) return 'main'
      const covered = Math.min(maxDerived, maxKeys - 1)
      if (covered <= 0) {
        assertOnCurve(key, 'publicKeyHex')
        const index = scanDerivedPublicKeys(parent, key.bytes, 0, maxDerived)
        return index === -1 ? null : index
      }
      const id = Buffer.from(main).toString('hex')
      let table = touch(id)
      if (table !== undefined && table.count >= covered) {
        const index = table.indexOf(key.bytes)
        if (index !== -1) return index < maxDerived ? index : null // a hit is a libsecp256k1-made point
      }
      assertOnCurve(key, 'publicKeyHex') // before any derivation work
      table = extend(id, parent, covered)
      const hit = table.indexOf(key.bytes)
      if (hit !== -1) return hit < maxDerived ? hit : null
      const index = scanDerivedPublicKeys(parent, key.bytes, table.count, maxDerived)
      return index === -1 ? null : index
    } finally {
      parent.fill(0)
    }
  }

  const findByMainPublicKey = (mainPublicKeyHex: string, publicKeyHex: string, maxDerived: number): KeyPosition | undefined => {
    assertDerivedCount(maxDerived, 'maxDerived')
    const main = parsePublicKeyShape(mainPublicKeyHex, 'mainPublicKeyHex')
    const key = parsePublicKeyShape(publicKeyHex, 'publicKeyHex')
    const table = touch(main.hex)
    if (table === undefined) assertOnCurve(main, 'mainPublicKeyHex') // indexed main keys are known-good
    if (key.hex === main.hex) return 'main'
    if (table !== undefined) {
      const index = table.indexOf(key.bytes)
      if (index !== -1) return index < maxDerived ? index : null
    }
    assertOnCurve(key, 'publicKeyHex')
    if (maxDerived === 0 || (table !== undefined && table.count >= maxDerived)) return null
    return undefined
  }

  const prepare = (identityPrivateKeyHex: string, derivedCount: number): string => {
    assertDerivedCount(derivedCount, 'derivedCount')
    const parent = parsePrivateKeyHex(identityPrivateKeyHex, 'identityPrivateKeyHex')
    try {
      const id = Buffer.from(mainPublicKeyBytes(parent)).toString('hex')
      const target = Math.min(derivedCount, maxKeys - 1)
      if (target > 0) extend(id, parent, target)
      return id
    } finally {
      parent.fill(0)
    }
  }

  const append = (mainPublicKeyHex: string, from: number, keys: readonly Uint8Array[]): boolean => {
    const main = parsePublicKeyShape(mainPublicKeyHex, 'mainPublicKeyHex')
    if (!Array.isArray(keys) || keys.some((key) => !(key instanceof Uint8Array) || key.length !== 33)) throw invalidInput('keys must be 33-byte compressed public keys')
    const table = identities.peek(main.hex)
    if ((table?.count ?? 0) !== from || keys.length === 0) return false
    if (from + keys.length > maxKeys - 1) return false
    const grown = table ?? new DerivedKeyTable()
    grown.reserve(from + keys.length)
    for (const key of keys) grown.append(key)
    identities.set(main.hex, grown)
    return true
  }

  const indexedCount = (mainPublicKeyHex: string): number => (typeof mainPublicKeyHex === 'string' ? (identities.peek(mainPublicKeyHex)?.count ?? 0) : 0)

  const stats = (): DerivedKeyIndexStats => {
    let bytes = 0
    for (const table of identities.values()) bytes += table.byteLength + 66
    return { identities: identities.size, keys: identities.calculatedSize, maxKeys, bytes }
  }

  const clear = (): void => identities.clear()

  return { find, findByMainPublicKey, prepare, append, indexedCount, stats, clear }
}
