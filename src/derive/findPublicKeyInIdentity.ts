import { invalidInput } from '../errors.ts'
import type { DerivedKeyIndex, KeyPosition } from './derivedKeyIndex.ts'
import { mainPublicKeyBytes } from './deriveChildPublicKey.ts'
import { assertDerivedCount } from './integerGuards.ts'
import { parsePrivateKeyHex } from './parsePrivateKeyHex.ts'
import { parsePublicKeyHex } from './parsePublicKeyHex.ts'
import { sameBytes, scanDerivedPublicKeys } from './scanDerivedPublicKeys.ts'

/**
 * Where `publicKeyHex` sits in the identity: `'main'`, the lowest derived index below `maxDerived`,
 * or `null`. Without `index` this is the seed's definition, re-deriving up to `maxDerived` keys;
 * with a DerivedKeyIndex the same answer comes from a lookup after a one-off indexing.
 */
export function findPublicKeyInIdentity(
  identityPrivateKeyHex: string,
  publicKeyHex: string,
  maxDerived = 0,
  index?: DerivedKeyIndex,
): KeyPosition {
  if (index !== undefined) {
    if (typeof index !== 'object' || index === null || typeof index.find !== 'function') {
      throw invalidInput('index must be a DerivedKeyIndex', { field: 'index' })
    }
    return index.find(identityPrivateKeyHex, publicKeyHex, maxDerived)
  }
  assertDerivedCount(maxDerived, 'maxDerived')
  const key = parsePublicKeyHex(publicKeyHex, 'publicKeyHex')
  const parent = parsePrivateKeyHex(identityPrivateKeyHex, 'identityPrivateKeyHex')
  try {
    if (sameBytes(mainPublicKeyBytes(parent), key.bytes)) return 'main'
    const found = scanDerivedPublicKeys(parent, key.bytes, 0, maxDerived)
    return found === -1 ? null : found
  } finally {
    parent.fill(0)
  }
}
