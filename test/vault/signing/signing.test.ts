import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createPublicKey, verify } from 'node:crypto'
import { base58 } from '@scure/base'
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js'
import { parseTransaction, recoverMessageAddress, recoverTransactionAddress, recoverTypedDataAddress } from 'viem'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { eip712MailExample } from '../../vectors/eip712Mail.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const typedData = eip712MailExample

function ed25519Verify(address: string, message: Uint8Array, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(base58.decode(address))])
  return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature)
}

for (const engine of ENGINES) {
  describe(`signing through the vault on ${engine}`, () => {
    let t: TestVault
    let userId: string
    let polygon: `0x${string}`
    let solana: string
    before(async () => {
      t = await openTestVault(engine)
      const user = await t.vault.users.create({ telegramUserId: 7 })
      userId = user.id
      polygon = user.polygonAddress as `0x${string}`
      solana = user.solanaAddress
    })
    after(async () => t.cleanup())

    test('EIP-191 and ed25519 messages verify against the stored addresses', async () => {
      const evm = await t.vault.sign.message({ id: userId }, { chain: 'polygon', message: 'gm' })
      assert.equal(await recoverMessageAddress({ message: 'gm', signature: evm.signature as `0x${string}` }), polygon)
      const sol = await t.vault.sign.message({ telegramUserId: 7 }, { chain: 'solana', message: new Uint8Array([1, 2, 3]) })
      assert.equal(ed25519Verify(solana, new Uint8Array([1, 2, 3]), base58.decode(sol.signature)), true)
    })

    test('EIP-712 typed data recovers the Polygon address', async () => {
      const { signature } = await t.vault.sign.typedData({ id: userId }, typedData as never)
      assert.equal(await recoverTypedDataAddress({ ...typedData, signature: signature as `0x${string}` } as never), polygon)
    })

    test('an EIP-1559 transaction is signed (not sent) by the Polygon key', async () => {
      const tx = { chainId: 137, nonce: 3, to: '0x000000000000000000000000000000000000dEaD', value: '1000', data: '0x', gas: '21000', maxFeePerGas: '30000000000', maxPriorityFeePerGas: '1000000000' }
      const { serializedTransaction } = await t.vault.sign.evmTransaction({ id: userId }, tx)
      assert.equal(await recoverTransactionAddress({ serializedTransaction: serializedTransaction as never }), polygon)
      assert.equal(parseTransaction(serializedTransaction as `0x${string}`).nonce, 3)
    })

    test('a Solana transfer built by web3.js gets a valid signature in the fee payer slot', async () => {
      const tx = new Transaction({ feePayer: new PublicKey(solana), recentBlockhash: Keypair.generate().publicKey.toBase58() })
      tx.add(SystemProgram.transfer({ fromPubkey: new PublicKey(solana), toPubkey: Keypair.generate().publicKey, lamports: 5000 }))
      const wire = tx.serialize({ requireAllSignatures: false, verifySignatures: false })
      const { signedTransaction } = await t.vault.sign.solanaTransaction({ id: userId }, new Uint8Array(wire))
      const signed = Transaction.from(Buffer.from(signedTransaction))
      assert.equal(signed.verifySignatures(), true)
    })

    test('every signature is an audited key use; a malformed payload is refused before any decrypt', async () => {
      await assert.rejects(t.vault.sign.typedData({ id: userId }, { domain: {}, types: {}, primaryType: 'Nope', message: {} } as never), (e: { code?: string }) => ['COFFRE_SIGNING_FAILED', 'COFFRE_INVALID_INPUT'].includes(e.code ?? ''))
      await assert.rejects(t.vault.sign.message({ id: userId }, { chain: 'bitcoin' as never, message: 'x' }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.sign.message({ telegramUserId: 999 }, { chain: 'polygon', message: 'x' }), { code: 'COFFRE_NOT_FOUND' })
      await contextOf(t.vault).audit.drain()
      const rows = await contextOf(t.vault).store.db.selectFrom('audit_log').select(['action', 'details']).where('user_id', '=', userId).where('action', '=', 'key.use').execute()
      const purposes = rows.map((r) => JSON.parse(r.details) as { purpose: string; outcome: string })
      assert.equal(purposes.filter((p) => p.outcome === 'ok').length, 5)
      // Malformed typed data is refused before any key is decrypted, so it is not a key use.
      assert.deepEqual(purposes.filter((p) => p.outcome === 'failed'), [])
      assert.equal((await t.vault.audit.verify()).ok, true)
    })
  })
}
