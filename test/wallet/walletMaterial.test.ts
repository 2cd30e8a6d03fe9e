import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { privateKeyToAddress } from 'viem/accounts'
import { Keypair } from '@solana/web3.js'
import fc from 'fast-check'
import { isCoffreError } from '../../src/errors.ts'
import { entropyToMnemonic } from '../../src/wallet/mnemonic.ts'
import {
  createWalletMaterial,
  verifyWalletMaterial,
  walletMaterialFromEntropy,
  walletMaterialFromMnemonic,
  wipeWalletMaterial,
  type DerivedWalletMaterial,
} from '../../src/wallet/walletMaterial.ts'
import { WalletWorkerPool, closeWalletWorkers, createWalletMaterialBatch } from '../../src/wallet/walletWorkerPool.ts'
import { hex, loadVectors } from './vectors.ts'

const known = loadVectors<{ mnemonic: string; evm: { address: string }; solana: { address: string } }>('known-addresses.json')

/** Checks a material against independent libraries (viem/noble, web3.js) and its own mnemonic. */
function assertConsistent(material: DerivedWalletMaterial): void {
  assert.equal(privateKeyToAddress(`0x${hex(material.evm.privateKey)}`), material.evm.address)
  const solana = Keypair.fromSeed(material.solana.secretKey)
  assert.equal(solana.publicKey.toBase58(), material.solana.address)
  assert.equal(hex(solana.publicKey.toBytes()), hex(material.solana.publicKey))
  const again = walletMaterialFromMnemonic(entropyToMnemonic(material.entropy))
  assert.equal(again.evm.address, material.evm.address)
  assert.equal(again.solana.address, material.solana.address)
}

const isZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0)

describe('wallet material', () => {
  it('derives the known addresses from the test mnemonic', () => {
    const material = walletMaterialFromMnemonic(known.mnemonic)
    assert.equal(material.evm.address, known.evm.address)
    assert.equal(material.solana.address, known.solana.address)
    assert.equal(hex(material.entropy), '00000000000000000000000000000000')
    assert.equal(material.identity.publicKey.length, 33)
  })
  it('creates 12- and 24-word wallets whose keys re-derive their addresses', () => {
    for (const words of [12, 24] as const) {
      const material = createWalletMaterial({ words })
      assert.equal(material.entropy.length, words === 12 ? 16 : 32)
      assertConsistent(material)
    }
  })
  it('material of random entropy: the single address computation agrees with viem, web3.js and verifyWalletMaterial (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (entropy) => {
        const material = walletMaterialFromEntropy(entropy)
        assert.equal(privateKeyToAddress(`0x${hex(material.evm.privateKey)}`), material.evm.address)
        const solana = Keypair.fromSeed(material.solana.secretKey)
        assert.equal(solana.publicKey.toBase58(), material.solana.address)
        assert.equal(hex(solana.publicKey.toBytes()), hex(material.solana.publicKey))
        verifyWalletMaterial(material)
        for (const secret of [material.entropy, material.evm.privateKey, material.solana.secretKey, material.identity.privateKey]) {
          assert.ok(!isZero(secret))
        }
        assert.notEqual(material.entropy, entropy)
        wipeWalletMaterial(material)
      }),
      { numRuns: 40 },
    )
  })
  it('reports COFFRE_ADDRESS_MISMATCH when a key does not match its address', () => {
    const material = createWalletMaterial({ words: 12 })
    const evmTampered = { ...material, evm: { ...material.evm, address: known.evm.address as `0x${string}` } }
    assert.throws(() => verifyWalletMaterial(evmTampered), (e) => isCoffreError(e) && e.code === 'COFFRE_ADDRESS_MISMATCH')
    const solanaTampered = { ...material, solana: { ...material.solana, address: known.solana.address } }
    assert.throws(() => verifyWalletMaterial(solanaTampered), (e) => isCoffreError(e) && e.code === 'COFFRE_ADDRESS_MISMATCH')
    verifyWalletMaterial(material)
  })
  it('wipes every secret buffer', () => {
    const material = createWalletMaterial({ words: 24 })
    wipeWalletMaterial(material)
    for (const secret of [material.entropy, material.evm.privateKey, material.solana.secretKey, material.identity.privateKey]) {
      assert.ok(isZero(secret))
    }
  })
  it('rejects an invalid mnemonic and a bad word count', () => {
    assert.throws(() => walletMaterialFromMnemonic('abandon abandon'), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => createWalletMaterial({ words: 13 as 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})

describe('createWalletMaterialBatch (worker threads running the TypeScript sources)', () => {
  after(() => closeWalletWorkers())

  it('creates distinct, consistent wallets, each in its own transferred buffer', async () => {
    const batch = await createWalletMaterialBatch(24, { words: 12 })
    assert.equal(batch.length, 24)
    assert.equal(new Set(batch.map((m) => m.evm.address)).size, 24)
    assert.equal(new Set(batch.map((m) => m.entropy.buffer)).size, 24)
    for (const material of batch) {
      assert.equal(material.entropy.length, 16)
      assert.equal(material.entropy.buffer.byteLength, 193)
      assertConsistent(material)
    }
    const first = batch[0]
    assert.ok(first !== undefined)
    wipeWalletMaterial(first)
    assert.ok(isZero(first.evm.privateKey) && isZero(first.solana.secretKey) && isZero(first.identity.privateKey))
  })

  it('reuses the pool and handles 24 words and empty batches', async () => {
    const [material] = await createWalletMaterialBatch(1, { words: 24 })
    assert.ok(material !== undefined)
    assert.equal(material.entropy.length, 32)
    assertConsistent(material)
    assert.deepEqual(await createWalletMaterialBatch(0, { words: 12 }), [])
  })

  it('rejects bad arguments with typed errors', async () => {
    await assert.rejects(createWalletMaterialBatch(-1, { words: 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    await assert.rejects(createWalletMaterialBatch(1.5, { words: 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    await assert.rejects(createWalletMaterialBatch(1, { words: 18 as 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })

  it('a closed pool refuses work and fails pending batches', async () => {
    const pool = new WalletWorkerPool({ size: 1 })
    const pending = assert.rejects(pool.createBatch(50, { words: 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_UNSUPPORTED')
    await pool.close()
    await pending
    await assert.rejects(pool.createBatch(1, { words: 12 }), (e) => isCoffreError(e) && e.code === 'COFFRE_UNSUPPORTED')
  })
})
