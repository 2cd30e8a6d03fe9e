import { invalidInput } from '../errors.ts'
import { assertPairConfig, listPairKeys, type PairConfig } from './pairConfig.ts'
import { parsePublicKeyHex } from './parsePublicKeyHex.ts'

/** The pair's main key (lowercase) and its extra keys (lowercase, valid, deduplicated, main excluded). */
function normalisedKeys(pair: PairConfig): { main: string | undefined; extra: string[] } {
  const main = pair.publicKey === undefined ? undefined : parsePublicKeyHex(pair.publicKey, 'pair.publicKey').hex
  const extra = listPairKeys({ uuid: pair.uuid, publicKeys: pair.publicKeys ?? [] }, 'curve').filter((key) => key !== main)
  return { main, extra }
}

/** The edited copy; `publicKeys` stays absent when it was absent and nothing was added. */
function rebuild(pair: PairConfig, main: string | undefined, extra: string[]): PairConfig {
  const { publicKey: _main, publicKeys: _extra, ...rest } = pair
  const edited: PairConfig = main === undefined ? rest : { ...rest, publicKey: main }
  return extra.length === 0 && pair.publicKeys === undefined ? edited : { ...edited, publicKeys: extra }
}

/**
 * A copy of the pair with `publicKeyHex` added to `publicKeys` — unless it is already the main key or
 * listed. Keys come out lowercase, validated and deduplicated. Pure: persistence is `addPairPublicKey`'s.
 */
export function withPairPublicKey(pair: PairConfig, publicKeyHex: string): PairConfig {
  assertPairConfig(pair)
  const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex').hex
  const { main, extra } = normalisedKeys(pair)
  return rebuild(pair, main, key === main || extra.includes(key) ? extra : [...extra, key])
}

/** A copy of the pair without `publicKeyHex` in `publicKeys`. The main key cannot be removed this way. */
export function withoutPairPublicKey(pair: PairConfig, publicKeyHex: string): PairConfig {
  assertPairConfig(pair)
  const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex').hex
  const { main, extra } = normalisedKeys(pair)
  if (key === main) throw invalidInput("publicKeyHex is the pair's main key; it cannot be removed from publicKeys", { field: 'publicKeyHex' })
  return rebuild(pair, main, extra.filter((existing) => existing !== key))
}
