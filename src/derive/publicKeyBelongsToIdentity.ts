import type { DerivedKeyIndex } from './derivedKeyIndex.ts'
import { findPublicKeyInIdentity } from './findPublicKeyInIdentity.ts'

/** True if `publicKeyHex` is the identity's main key or one of derived(0 … maxDerived − 1). */
export function publicKeyBelongsToIdentity(
  identityPrivateKeyHex: string,
  publicKeyHex: string,
  maxDerived = 0,
  index?: DerivedKeyIndex,
): boolean {
  return findPublicKeyInIdentity(identityPrivateKeyHex, publicKeyHex, maxDerived, index) !== null
}
