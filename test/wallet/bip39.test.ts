import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mnemonicToSeedSync } from '@scure/bip39'
import fc from 'fast-check'
import { isCoffreError } from '../../src/errors.ts'
import { generateEntropy } from '../../src/wallet/entropy.ts'
import { entropyToMnemonic, mnemonicToEntropy } from '../../src/wallet/mnemonic.ts'
import { mnemonicToSeed } from '../../src/wallet/seed.ts'
import { bip32Oracle } from './bip32Oracle.ts'
import { fromHex, hex, loadVectors } from './vectors.ts'

const trezor = loadVectors<{ passphrase: string; english: [string, string, string, string][] }>('bip39-trezor-english.json')
const abandon12 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'

function rejectsAsInvalid(mnemonic: string, pattern: RegExp): void {
  assert.throws(
    () => mnemonicToEntropy(mnemonic),
    (error) => isCoffreError(error) && error.code === 'COFFRE_INVALID_INPUT' && pattern.test(error.message) && !error.message.includes('zoo'),
  )
}

describe('BIP-39 (trezor/python-mnemonic vectors)', () => {
  it('has the 24 English vectors', () => assert.equal(trezor.english.length, 24))
  for (const [entropyHex, mnemonic, seedHex, xprv] of trezor.english) {
    it(`${mnemonic.split(' ').length} words, entropy ${entropyHex.slice(0, 8)}…`, () => {
      assert.equal(entropyToMnemonic(fromHex(entropyHex)), mnemonic)
      assert.equal(hex(mnemonicToEntropy(mnemonic)), entropyHex)
      const seed = mnemonicToSeed(mnemonic, trezor.passphrase)
      assert.equal(hex(seed), seedHex)
      assert.equal(bip32Oracle.fromSeed(Buffer.from(seed)).toBase58(), xprv)
    })
  }
  it('passphrase changes the seed; empty passphrase matches @scure/bip39', () => {
    assert.equal(hex(mnemonicToSeed(abandon12)), hex(mnemonicToSeedSync(abandon12, '')))
    assert.notEqual(hex(mnemonicToSeed(abandon12)), hex(mnemonicToSeed(abandon12, 'TREZOR')))
  })
})

describe('mnemonic normalisation and errors', () => {
  it('accepts upper case, tabs, newlines and repeated spaces', () => {
    const messy = `  ${abandon12.toUpperCase().replaceAll(' ', ' \t\n  ')}  `
    assert.equal(hex(mnemonicToEntropy(messy)), '00000000000000000000000000000000')
    assert.equal(hex(mnemonicToSeed(messy)), hex(mnemonicToSeed(abandon12)))
  })
  it('rejects a wrong word count', () => {
    rejectsAsInvalid('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo', /12, 15, 18, 21 or 24 words, got 11/)
    rejectsAsInvalid('', /got 0/)
  })
  it('rejects a word outside the wordlist by position only', () => {
    rejectsAsInvalid('zoo zoo zoo zoo zoo zooo zoo zoo zoo zoo zoo wrong', /word 6 .*not in the BIP-39 English wordlist/)
  })
  it('rejects a bad checksum', () => {
    rejectsAsInvalid('zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo', /checksum/)
    rejectsAsInvalid(abandon12.replace(/about$/u, 'abandon'), /checksum/)
  })
  it('rejects wrong types and wrong entropy lengths', () => {
    assert.throws(() => mnemonicToEntropy(42 as unknown as string), TypeError)
    assert.throws(() => entropyToMnemonic('00' as unknown as Uint8Array), TypeError)
    assert.throws(() => entropyToMnemonic(new Uint8Array(15)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => generateEntropy(18 as 12), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
  it('generates 16 or 32 fresh random bytes', () => {
    assert.equal(generateEntropy(12).length, 16)
    assert.equal(generateEntropy(24).length, 32)
    assert.notEqual(hex(generateEntropy(24)), hex(generateEntropy(24)))
  })
  it('round-trips any entropy (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 20, 24, 28, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (entropy) => {
        assert.equal(hex(mnemonicToEntropy(entropyToMnemonic(entropy))), hex(entropy))
      }),
      { numRuns: 300 },
    )
  })
})
