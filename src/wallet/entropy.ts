import { randomBytes } from 'node:crypto'
import { invalidInput } from '../errors.ts'

export type MnemonicLength = 12 | 24

/** Fresh BIP-39 entropy from the OS CSPRNG: 16 bytes for 12 words, 32 bytes for 24 words. */
export function generateEntropy(words: MnemonicLength): Uint8Array {
  if (words !== 12 && words !== 24) throw invalidInput('words must be 12 or 24')
  const bytes = randomBytes(words === 12 ? 16 : 32)
  // randomBytes may hand out a slice of a shared pool; copy into our own buffer and wipe the slice.
  const entropy = Uint8Array.from(bytes)
  bytes.fill(0)
  return entropy
}
