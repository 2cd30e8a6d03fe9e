import { getDerivedPublicKeys } from './getDerivedPublicKeys.ts'
import { assertDerivedCount } from './integerGuards.ts'
import { assertPairConfig, listPairKeys, type PairConfig } from './pairConfig.ts'

/**
 * Every public key of a pair, lowercase. The local pair (its identity private key supplied): main +
 * derived(0 … derivedCount − 1). A remote pair: `publicKey` + `publicKeys`, deduplicated.
 */
export function getPairPublicKeys(pair: PairConfig, identityPrivateKeyHex?: string, derivedCount = 0): string[] {
  assertPairConfig(pair)
  assertDerivedCount(derivedCount, 'derivedCount')
  if (identityPrivateKeyHex === undefined) return listPairKeys(pair, 'curve')
  return getDerivedPublicKeys(identityPrivateKeyHex, derivedCount)
}
