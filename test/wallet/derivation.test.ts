import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 as nobleSecp256k1 } from '@noble/curves/secp256k1.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { base58 } from '@scure/base'
import { Keypair } from '@solana/web3.js'
import { derivePath } from 'ed25519-hd-key'
import fc from 'fast-check'
import { privateKeyToAddress } from 'viem/accounts'
import { isCoffreError } from '../../src/errors.ts'
import { ed25519PublicKeyFromSeed } from '../../src/wallet/ed25519Key.ts'
import { deriveEvmAccount, EVM_DERIVATION_PATH } from '../../src/wallet/evmAccount.ts'
import { evmAddressFromPrivateKey, evmAddressFromPublicKey } from '../../src/wallet/evmAddress.ts'
import { mnemonicToSeed } from '../../src/wallet/seed.ts'
import { deriveSolanaAccount, solanaAddressFromSecretKey } from '../../src/wallet/solanaAccount.ts'
import { bip32Oracle } from './bip32Oracle.ts'
import { fromHex, hex, loadVectors } from './vectors.ts'

interface KnownAddresses { mnemonic: string; evm: { privateKey: string; address: string }; solana: { address: string } }

const known = loadVectors<KnownAddresses>('known-addresses.json')

/** Independent SLIP-10 ed25519 (HMAC from @noble/hashes, public key from @noble/curves). */
function nobleSolanaAddress(seed: Uint8Array): string {
  let I = hmac(sha512, new TextEncoder().encode('ed25519 seed'), seed)
  for (const index of [44, 501, 0, 0]) {
    const data = new Uint8Array(37)
    data.set(I.subarray(0, 32), 1)
    new DataView(data.buffer).setUint32(33, (index | 0x80000000) >>> 0)
    I = hmac(sha512, I.subarray(32), data)
  }
  return base58.encode(ed25519.getPublicKey(I.subarray(0, 32)))
}

describe('known addresses of "abandon … about"', () => {
  const seed = mnemonicToSeed(known.mnemonic)
  it('MetaMask account 0 (m/44\'/60\'/0\'/0/0)', () => {
    const account = deriveEvmAccount(seed)
    assert.equal(account.address, known.evm.address)
    assert.equal(hex(account.privateKey), known.evm.privateKey)
  })
  it('Phantom account 0 (m/44\'/501\'/0\'/0\'), three ways', () => {
    const account = deriveSolanaAccount(seed)
    assert.equal(account.address, known.solana.address)
    const web3 = Keypair.fromSeed(derivePath("m/44'/501'/0'/0'", hex(seed)).key)
    assert.equal(web3.publicKey.toBase58(), account.address)
    assert.equal(hex(web3.secretKey.subarray(0, 32)), hex(account.secretKey))
    assert.equal(nobleSolanaAddress(seed), account.address)
  })
})

describe('native curve code agrees with viem / @noble (random keys)', () => {
  const scalar = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => k.some((b) => b !== 0) && k[0] !== 0xff)
  it('EVM address of a private key', () => {
    fc.assert(
      fc.property(scalar, (k) => {
        assert.equal(evmAddressFromPrivateKey(k), privateKeyToAddress(`0x${hex(k)}`))
      }),
      { numRuns: 300 },
    )
  })
  it('EVM address from a compressed public key (noble) equals the one from the private key (native)', () => {
    fc.assert(
      fc.property(scalar, (k) => {
        const compressed = nobleSecp256k1.getPublicKey(k, true)
        assert.equal(evmAddressFromPublicKey(compressed), evmAddressFromPrivateKey(k))
      }),
      { numRuns: 100 },
    )
  })
  it('Ed25519 public key and Solana address of a seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (k) => {
        assert.equal(hex(ed25519PublicKeyFromSeed(k)), hex(ed25519.getPublicKey(k)))
        assert.equal(solanaAddressFromSecretKey(k), Keypair.fromSeed(k).publicKey.toBase58())
      }),
      { numRuns: 300 },
    )
  })
  it('account derivation from random seeds (Solana vs web3.js + ed25519-hd-key and noble; EVM vs bitcoinjs bip32 and viem)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed) => {
        const solana = deriveSolanaAccount(seed)
        assert.equal(solana.address, Keypair.fromSeed(derivePath("m/44'/501'/0'/0'", hex(seed)).key).publicKey.toBase58())
        assert.equal(solana.address, nobleSolanaAddress(seed))
        const evm = deriveEvmAccount(seed)
        assert.equal(hex(evm.privateKey), hex(bip32Oracle.fromSeed(Buffer.from(seed)).derivePath(EVM_DERIVATION_PATH).privateKey ?? new Uint8Array()))
        assert.equal(evm.address, privateKeyToAddress(`0x${hex(evm.privateKey)}`))
      }),
      { numRuns: 100 },
    )
  })
  it('rejects out-of-range scalars and wrong lengths', () => {
    const n = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')
    for (const bad of [new Uint8Array(32), n]) {
      assert.throws(() => evmAddressFromPrivateKey(bad), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    }
    assert.throws(() => evmAddressFromPrivateKey(new Uint8Array(31)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => evmAddressFromPrivateKey('00' as unknown as Uint8Array), TypeError)
    assert.throws(() => deriveEvmAccount(new Uint8Array(10)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => ed25519PublicKeyFromSeed(new Uint8Array(64)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})
