/**
 * coffre/solana on a real VM: a Coffre-backed @solana/kit signer pays for and signs a SOL
 * transfer that LiteSVM executes (through the JSON-RPC adapter); it also signs as one of two
 * signers next to a local key pair, and signs off-chain messages that verify with Ed25519.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ed25519 } from '@noble/curves/ed25519.js'
import { getTransferSolInstruction } from '@solana-program/system'
import {
  appendTransactionMessageInstruction,
  createSignableMessage,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type TransactionSigner,
} from '@solana/kit'
import { createCoffreClient } from '../../src/client/index.ts'
import { createCoffreSolanaSigner, type CoffreSolanaSigner } from '../../src/client/solana.ts'
import { startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvmRpc.ts'
import { startLiveService, type LiveService } from './liveService.ts'

let chain: LiteSvmRpc
let service: LiveService
let signer: CoffreSolanaSigner

before(async () => {
  chain = await startLiteSvmRpc()
  service = await startLiveService()
  const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
  const user = await coffre.users.create({ telegramUserId: 6001 })
  signer = await createCoffreSolanaSigner({ client: coffre, userId: user.id })
  assert.equal(signer.address, user.solanaAddress)
  chain.ledger.airdrop(signer.address, 2_000_000_000n)
})
after(async () => {
  await service?.close()
  await chain?.stop()
})

async function sendTransfer(feePayer: TransactionSigner, source: TransactionSigner, amount: bigint) {
  const rpc = createSolanaRpc(chain.url)
  const recipient = (await generateKeyPairSigner()).address
  const { value: blockhash } = await rpc.getLatestBlockhash().send()
  const signed = await pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstruction(getTransferSolInstruction({ source, destination: recipient, amount: lamports(amount) }), m),
    (m) => signTransactionMessageWithSigners(m),
  )
  const signature = await rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64' }).send()
  assert.equal(signature, getSignatureFromTransaction(signed))
  return { recipient, signature, balance: (await rpc.getBalance(recipient).send()).value }
}

describe('createCoffreSolanaSigner', () => {
  test('pays for and signs a SOL transfer that LiteSVM executes', async () => {
    const before = chain.ledger.svm.getBalance(signer.address) ?? 0n
    const { signature, balance } = await sendTransfer(signer, signer, 1_234_567n)
    assert.equal(balance, 1_234_567n)
    assert.equal(chain.ledger.entries.get(signature)?.err, null)
    assert.equal(chain.ledger.svm.getBalance(signer.address), before - 1_234_567n - 5000n, 'the transfer and the fee left the Coffre wallet')
  })

  test('signs as the transfer source while a local key pair pays the fee (partial signing)', async () => {
    const payer = await generateKeyPairSigner()
    chain.ledger.airdrop(payer.address, 1_000_000_000n)
    const { signature, balance } = await sendTransfer(payer, signer, 1_000_000n)
    assert.equal(balance, 1_000_000n)
    assert.deepEqual(chain.ledger.entries.get(signature)?.signatures.length, 2)
  })

  test('signs off-chain messages (Ed25519 over the bytes)', async () => {
    const content = new TextEncoder().encode('Coffre says hello to Solana')
    const [dictionary] = await signer.signMessages([createSignableMessage(content)])
    const signature = dictionary![signer.address]!
    const publicKey = new Uint8Array(getAddressEncoder().encode(signer.address))
    assert.equal(ed25519.verify(signature, content, publicKey), true)
    assert.equal(ed25519.verify(signature, new TextEncoder().encode('something else'), publicKey), false)
  })
})
