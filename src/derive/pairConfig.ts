import { invalidInput } from '../errors.ts'
import { parsePublicKeyHex, parsePublicKeyShape } from './parsePublicKeyHex.ts'

/**
 * A pair: the local identity or a remote device/peer. It owns every key in {publicKey} ∪ publicKeys
 * (compressed secp256k1, hex). `publicKey` is the main key (ECDH, pairing); `publicKeys` holds extra ones.
 */
export type PairConfig = { uuid: string; label?: string; publicKey?: string; publicKeys?: string[] }

/** Shape guard for a PairConfig coming from a caller or the store (types only; keys are checked where used). */
export function assertPairConfig(pair: unknown, field = 'pair'): asserts pair is PairConfig {
  if (typeof pair !== 'object' || pair === null || Array.isArray(pair)) throw invalidInput(`${field} must be an object`, { field })
  const { uuid, label, publicKey, publicKeys } = pair as Record<string, unknown>
  if (typeof uuid !== 'string' || uuid.length === 0) throw invalidInput(`${field}.uuid must be a non-empty string`, { field })
  if (label !== undefined && typeof label !== 'string') throw invalidInput(`${field}.label must be a string`, { field })
  if (publicKey !== undefined && typeof publicKey !== 'string') throw invalidInput(`${field}.publicKey must be a string`, { field })
  if (publicKeys !== undefined && (!Array.isArray(publicKeys) || publicKeys.some((key) => typeof key !== 'string'))) {
    throw invalidInput(`${field}.publicKeys must be an array of strings`, { field })
  }
}

/**
 * The pair's own keys, `publicKey` first then `publicKeys`, lowercase and without duplicates.
 * `validate: 'curve'` checks each is a point (for output and writes); `'shape'` only its form (for
 * comparisons against a query key that was itself fully validated).
 */
export function listPairKeys(pair: PairConfig, validate: 'curve' | 'shape'): string[] {
  const parse = validate === 'curve' ? parsePublicKeyHex : parsePublicKeyShape
  const keys = new Set<string>()
  if (pair.publicKey !== undefined) keys.add(parse(pair.publicKey, 'pair.publicKey').hex)
  for (const key of pair.publicKeys ?? []) keys.add(parse(key, 'pair.publicKeys').hex)
  return [...keys]
}
