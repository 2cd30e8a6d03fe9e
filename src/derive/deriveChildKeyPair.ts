import { secp256k1 } from '../crypto/secp256k1.ts'
import { assertDerivationIndex } from './integerGuards.ts'
import { deriveChildScalar } from './deriveChildScalar.ts'
import { parsePrivateKeyHex } from './parsePrivateKeyHex.ts'

export type ChildKeyPair = { privateKey: string; publicKey: string }

/**
 * Seed 004's deterministic child key pair: same parent and index, same pair. Returns the child private
 * key as 64 lowercase hex (the spec's explicit edge: this function's purpose is to hand it out) and
 * its compressed public key as 66 lowercase hex.
 */
export function deriveChildKeyPair(parentPrivateKeyHex: string, index: number): ChildKeyPair {
  assertDerivationIndex(index)
  const parent = parsePrivateKeyHex(parentPrivateKeyHex, 'parentPrivateKeyHex')
  try {
    const scalar = deriveChildScalar(parent, index)
    try {
      return {
        privateKey: Buffer.from(scalar.buffer, scalar.byteOffset, scalar.length).toString('hex'), // a view, no unwiped copy
        publicKey: Buffer.from(secp256k1.publicKeyCreate(scalar, true)).toString('hex'),
      }
    } finally {
      scalar.fill(0)
    }
  } finally {
    parent.fill(0)
  }
}
