import type { DerivedKeyIndex } from './derivedKeyIndex.ts'
import { findPublicKeyInIdentity } from './findPublicKeyInIdentity.ts'
import { assertDerivedCount } from './integerGuards.ts'
import { assertPairConfig, listPairKeys, type PairConfig } from './pairConfig.ts'
import { parsePublicKeyHex } from './parsePublicKeyHex.ts'

/**
 * True if the pair owns `publicKeyHex`. Local pair (identity private key supplied): main key or
 * derived(0 … maxDerived − 1), by lookup when a DerivedKeyIndex is given. Remote pair: membership in
 * `publicKey` / `publicKeys`. Always equal to `getPairPublicKeys(pair, key, maxDerived).includes(…)`.
 */
export function pairContainsPublicKey(
  pair: PairConfig,
  publicKeyHex: string,
  identityPrivateKeyHex?: string,
  maxDerived = 0,
  index?: DerivedKeyIndex,
): boolean {
  assertPairConfig(pair)
  assertDerivedCount(maxDerived, 'maxDerived')
  if (identityPrivateKeyHex !== undefined) {
    return findPublicKeyInIdentity(identityPrivateKeyHex, publicKeyHex, maxDerived, index) !== null
  }
  const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex')
  return listPairKeys(pair, 'shape').includes(key.hex)
}
