/**
 * BIP-39 mnemonic ↔ entropy with the English wordlist (@scure/bip39).
 * Errors say what is wrong and where (word position), never which words were given.
 */
import { entropyToMnemonic as scureEntropyToMnemonic, mnemonicToEntropy as scureMnemonicToEntropy } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { invalidInput } from '../errors.ts'
import { assertBytes, assertString } from './assertBytes.ts'

const englishWords = new Set(wordlist)
const wordCounts = [12, 15, 18, 21, 24]
const entropyLengths = [16, 20, 24, 28, 32]

/** NFKD, lower case, words separated by single spaces (what a user pastes is rarely tidy). */
export function normalizeMnemonic(mnemonic: string): string {
  assertString(mnemonic, 'mnemonic')
  return mnemonic.normalize('NFKD').toLowerCase().trim().split(/\s+/u).join(' ')
}

export function entropyToMnemonic(entropy: Uint8Array): string {
  assertBytes(entropy, 'entropy', ...entropyLengths)
  return scureEntropyToMnemonic(entropy, wordlist)
}

export function mnemonicToEntropy(mnemonic: string): Uint8Array {
  const normalized = normalizeMnemonic(mnemonic)
  const words = normalized === '' ? [] : normalized.split(' ')
  if (!wordCounts.includes(words.length)) {
    throw invalidInput(`a mnemonic has 12, 15, 18, 21 or 24 words, got ${words.length}`)
  }
  const unknown = words.findIndex((word) => !englishWords.has(word))
  if (unknown !== -1) throw invalidInput(`word ${unknown + 1} of the mnemonic is not in the BIP-39 English wordlist`)
  try {
    return scureMnemonicToEntropy(normalized, wordlist)
  } catch {
    throw invalidInput('the mnemonic checksum does not match (a word is wrong or the words are out of order)')
  }
}
