/**
 * BIP-39 mnemonic → 64-byte seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase,
 * both NFKD. node:crypto's native PBKDF2 is ~10× faster than a JS one, and this step dominates the
 * cost of creating a wallet.
 */
import { pbkdf2Sync } from 'node:crypto'
import { assertString } from './assertBytes.ts'
import { mnemonicToEntropy, normalizeMnemonic } from './mnemonic.ts'

/** Seed of a mnemonic that is checked first (word list, count, checksum). */
export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  mnemonicToEntropy(mnemonic).fill(0)
  return seedFromNormalizedMnemonic(normalizeMnemonic(mnemonic), passphrase)
}

/** The PBKDF2 step alone, for a mnemonic this process produced itself (already normalized and valid). */
export function seedFromNormalizedMnemonic(mnemonic: string, passphrase = ''): Uint8Array {
  assertString(passphrase, 'passphrase')
  const password = Buffer.from(mnemonic.normalize('NFKD'), 'utf8')
  const salt = Buffer.from(`mnemonic${passphrase.normalize('NFKD')}`, 'utf8')
  const derived = pbkdf2Sync(password, salt, 2048, 64, 'sha512')
  password.fill(0)
  salt.fill(0)
  const seed = Uint8Array.from(derived)
  derived.fill(0)
  return seed
}
