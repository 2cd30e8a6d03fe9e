import assert from 'node:assert/strict'
import { verify } from 'node:crypto'
import { describe, it } from 'node:test'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base58 } from '@scure/base'
import {
  AccountRole,
  address,
  appendTransactionMessageInstruction,
  blockhash,
  compileTransaction,
  createTransactionMessage,
  getTransactionDecoder,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js'
import fc from 'fast-check'
import { isCoffreError } from '../../../src/errors.ts'
import { signSolanaMessage } from '../../../src/chain/solana/signSolanaMessage.ts'
import { signSolanaTransaction } from '../../../src/chain/solana/signSolanaTransaction.ts'
import { ed25519PublicKeyObject } from '../../../src/wallet/ed25519Key.ts'
import { solanaAddressFromSecretKey, solanaPublicKeyFromSecretKey } from '../../../src/wallet/solanaAccount.ts'

const seedA = new Uint8Array(32).fill(1)
const seedB = new Uint8Array(32).fill(2)
const recentBlockhash = base58.encode(new Uint8Array(32).fill(9))

/** A real System Program transfer built with @solana/web3.js 1 (unsigned wire bytes). */
function web3Transfer(from: Uint8Array, feePayer: Uint8Array = from): Uint8Array {
  const tx = new Transaction({ feePayer: new PublicKey(solanaPublicKeyFromSecretKey(feePayer)), recentBlockhash })
  tx.add(
    SystemProgram.transfer({
      fromPubkey: new PublicKey(solanaPublicKeyFromSecretKey(from)),
      toPubkey: Keypair.fromSeed(new Uint8Array(32).fill(3)).publicKey,
      lamports: 1_000_000,
    }),
  )
  return new Uint8Array(tx.serialize({ requireAllSignatures: false, verifySignatures: false }))
}

/** The same kind of transfer built with @solana/kit (System Program instruction 2, u64 lamports). */
function kitTransfer(from: Uint8Array): Uint8Array {
  const source = address(solanaAddressFromSecretKey(from))
  const data = new Uint8Array(12)
  const view = new DataView(data.buffer)
  view.setUint32(0, 2, true)
  view.setBigUint64(4, 5_000n, true)
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(source, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: blockhash(recentBlockhash), lastValidBlockHeight: 100n }, m),
    (m) =>
      appendTransactionMessageInstruction(
        {
          programAddress: address('11111111111111111111111111111111'),
          accounts: [
            { address: source, role: AccountRole.WRITABLE_SIGNER },
            { address: address(solanaAddressFromSecretKey(seedB)), role: AccountRole.WRITABLE },
          ],
          data,
        },
        m,
      ),
  )
  return new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)))
}

function verifyWith(seed: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, message, ed25519PublicKeyObject(solanaPublicKeyFromSecretKey(seed)), signature)
}

describe('signSolanaMessage', () => {
  it('is an Ed25519 signature that node:crypto and @noble verify and that equals web3.js/noble signing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        const signature = base58.decode(signSolanaMessage(seed, message))
        assert.equal(signature.length, 64)
        assert.ok(verifyWith(seed, message, signature))
        assert.ok(ed25519.verify(signature, message, ed25519.getPublicKey(seed)))
        assert.deepEqual(signature, ed25519.sign(message, seed)) // Ed25519 is deterministic
      }),
      { numRuns: 150 },
    )
  })
  it('rejects a wrong-length key', () => {
    assert.throws(() => signSolanaMessage(new Uint8Array(64), new Uint8Array(1)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})

describe('signSolanaTransaction', () => {
  it('signs a web3.js transfer so that web3.js verifies it', () => {
    const { signedTransaction, signature } = signSolanaTransaction(seedA, web3Transfer(seedA))
    const tx = Transaction.from(signedTransaction)
    assert.ok(tx.verifySignatures())
    assert.equal(base58.encode(tx.signature ?? new Uint8Array()), signature)
    assert.ok(verifyWith(seedA, new Uint8Array(tx.serializeMessage()), base58.decode(signature)))
  })
  it('signs a @solana/kit v0 transfer in its slot', () => {
    const wire = kitTransfer(seedA)
    const { signedTransaction, signature } = signSolanaTransaction(seedA, wire)
    assert.equal(signedTransaction.length, wire.length)
    const decoded = getTransactionDecoder().decode(signedTransaction)
    const slot = decoded.signatures[address(solanaAddressFromSecretKey(seedA))]
    assert.ok(slot)
    assert.equal(base58.encode(slot), signature)
    assert.ok(verifyWith(seedA, new Uint8Array(decoded.messageBytes), new Uint8Array(slot)))
  })
  it('fills only its own slot when there are two signers (fee payer signs later)', () => {
    const wire = web3Transfer(seedA, seedB)
    const once = signSolanaTransaction(seedA, wire).signedTransaction
    let tx = Transaction.from(once)
    assert.equal(tx.signatures.length, 2)
    assert.equal(tx.signatures[0]?.signature, null) // fee payer B
    assert.ok(tx.signatures[1]?.signature)
    assert.equal(tx.verifySignatures(), false)
    const twice = signSolanaTransaction(seedB, once).signedTransaction
    tx = Transaction.from(twice)
    assert.ok(tx.verifySignatures())
  })
  it('refuses a key that is not a required signer, and garbage bytes', () => {
    assert.throws(
      () => signSolanaTransaction(seedB, web3Transfer(seedA)),
      (e) => isCoffreError(e) && e.code === 'COFFRE_SIGNING_FAILED' && /not one of the transaction's required signers/.test(e.message),
    )
    const wire = web3Transfer(seedA)
    for (const garbage of [new Uint8Array(0), new Uint8Array([1, 2, 3]), wire.subarray(0, wire.length - 5), Uint8Array.from([...wire, 0, 0])]) {
      assert.throws(() => signSolanaTransaction(seedA, garbage), (e) => isCoffreError(e) && e.code === 'COFFRE_SIGNING_FAILED')
    }
    assert.throws(() => signSolanaTransaction(seedA, 'wire' as unknown as Uint8Array), TypeError)
  })
})
