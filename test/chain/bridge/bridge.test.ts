import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { address, generateKeyPairSigner, getBase64EncodedWireTransaction, getTransactionDecoder, type Signature } from '@solana/kit'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { readPolygonBalances } from '../../../src/chain/balances/polygonBalances.ts'
import { createDlnClient, DLN_DELIVERED, DLN_NATIVE_SOL, type DlnClient } from '../../../src/chain/bridge/dlnClient.ts'
import { prepareBridgeTransaction, SYSTEM_PROGRAM } from '../../../src/chain/bridge/prepareBridgeTransaction.ts'
import { signSolanaTransaction } from '../../../src/chain/solana/signSolanaTransaction.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { solanaAddressFromSecretKey } from '../../../src/wallet/solanaAccount.ts'
import { startDlnStandin, STANDIN_FIX_FEE, type DlnStandin } from './dlnStandin.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../solanaFixture.ts'

const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'
const upstreamRefusal = (pattern: RegExp) => (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_UPSTREAM_FAILED' && pattern.test(e.message)

describe('SOL → Polygon bridge through the DLN API (local stand-in, litesvm, anvil)', () => {
  let polygon: PolygonFixture
  let solana: SolanaFixture
  let standin: DlnStandin
  let client: DlnClient
  let secretKey: Uint8Array
  let user: string
  const recipient = privateKeyToAccount(generatePrivateKey()).address
  const request = () => ({ srcToken: DLN_NATIVE_SOL, srcAmount: LAMPORTS_PER_SOL, dstChainId: polygon.config.chainId, dstToken: polygon.config.contracts.usdcE, recipient, solanaAuthority: user })

  before(async () => {
    polygon = await startPolygonFixture()
    solana = await startSolanaFixture()
    standin = await startDlnStandin({ rpc: solana.solana.rpc, polygon, dstChainId: polygon.config.chainId, escrow: (await generateKeyPairSigner()).address })
    client = createDlnClient({ baseUrl: standin.url })
    secretKey = new Uint8Array(randomBytes(32))
    user = solanaAddressFromSecretKey(secretKey)
    solana.rpcServer.ledger.airdrop(address(user), 3n * LAMPORTS_PER_SOL)
  })
  after(async () => {
    await standin?.stop()
    await solana?.stop()
    await polygon?.stop()
  })

  const prepare = async (order: { transaction: Uint8Array; srcAmount: bigint; fixFee: bigint | undefined }) => {
    const { value } = await solana.solana.rpc.getLatestBlockhash().send()
    return prepareBridgeTransaction(order.transaction, { payer: user, allowedPrograms: [SYSTEM_PROGRAM, MEMO], maxSystemLamports: order.srcAmount + (order.fixFee ?? 0n), blockhash: value.blockhash })
  }

  it('quotes, creates the order, signs the checked transaction with the user key, and tracks it to delivery on Polygon', async () => {
    const quote = await client.quote(request())
    assert.equal(quote.srcAmount, LAMPORTS_PER_SOL)
    assert.equal(quote.dstAmount, 148_500_000n)
    const order = await client.createOrder(request())
    assert.match(order.orderId, /^0x[0-9a-f]{64}$/)
    assert.equal(await client.orderStatus(order.orderId), 'Created')
    const unsigned = await prepare(order)
    const signed = signSolanaTransaction(secretKey, unsigned)
    const wire = getBase64EncodedWireTransaction(getTransactionDecoder().decode(signed.signedTransaction))
    const signature = await solana.solana.rpc.sendTransaction(wire, { encoding: 'base64' }).send()
    assert.equal(signature, signed.signature)
    const status = await client.orderStatus(order.orderId)
    assert.ok(DLN_DELIVERED.has(status), `delivered, got ${status}`)
    assert.deepEqual(await client.orderIdsByTransaction(signature as Signature), [order.orderId])
    const [balance] = (await readPolygonBalances(polygon.polygon, [recipient])).balances
    assert.equal(balance?.usdcE, 148_500_000n)
    const escrow = await solana.solana.rpc.getBalance(standin.escrow).send()
    assert.equal(escrow.value, LAMPORTS_PER_SOL + STANDIN_FIX_FEE)
    // Asking again does not deliver twice.
    await client.orderStatus(order.orderId)
    assert.equal((await readPolygonBalances(polygon.polygon, [recipient])).balances[0]?.usdcE, 148_500_000n)
  })

  it('refuses a transaction that moves more than the order, calls an unknown program, or needs another signer', async () => {
    const cases = [
      ['extra-transfer', /more than the/],
      ['foreign-program', /program that is not allowed/],
      ['second-signer', /signers other than the user/],
    ] as const
    try {
      for (const [mode, message] of cases) {
        standin.tamper.mode = mode
        const order = await client.createOrder(request())
        await assert.rejects(prepare(order), upstreamRefusal(message), mode)
      }
    } finally {
      standin.tamper.mode = 'none'
    }
  })

  it('maps API failures to COFFRE_UPSTREAM_FAILED without the URL path', async () => {
    await assert.rejects(client.orderStatus(`0x${'ab'.repeat(32)}`), upstreamRefusal(/HTTP 404/))
    await assert.rejects(client.quote({ ...request(), srcAmount: 0n }), upstreamRefusal(/HTTP 400/))
    const offline = createDlnClient({ baseUrl: 'http://127.0.0.1:9/secret-path' })
    await assert.rejects(offline.orderStatus(`0x${'ab'.repeat(32)}`), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_UPSTREAM_FAILED' && !e.message.includes('secret'))
  })
})
