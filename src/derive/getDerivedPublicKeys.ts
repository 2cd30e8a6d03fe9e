import { assertDerivedCount } from './integerGuards.ts'
import { deriveChildPublicKeyBytes, mainPublicKeyBytes } from './deriveChildPublicKey.ts'
import { parsePrivateKeyHex } from './parsePrivateKeyHex.ts'

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

/** [main, derived(0), …, derived(count − 1)] as lowercase compressed hex; length 1 + count. */
export function getDerivedPublicKeys(parentPrivateKeyHex: string, count: number): string[] {
  assertDerivedCount(count, 'count')
  const parent = parsePrivateKeyHex(parentPrivateKeyHex, 'parentPrivateKeyHex')
  try {
    const keys = [toHex(mainPublicKeyBytes(parent))]
    for (let index = 0; index < count; index++) keys.push(toHex(deriveChildPublicKeyBytes(parent, index)))
    return keys
  } finally {
    parent.fill(0)
  }
}
