/**
 * A local stand-in for deBridge's DLN API, for tests: the documented endpoints
 * GET /v1.0/dln/order/create-tx, /v1.0/dln/order/{id}/status and /v1.0/dln/tx/{hash}/order-ids.
 * create-tx checks its parameters as the docs describe them and returns an estimation (a fixed
 * 150 USDC.e per SOL, 1 % fee) and an unsigned Solana transaction (hex) that moves the input and
 * the fixed fee to the stand-in's escrow with the order id in a memo. Status looks on the Solana
 * chain (the litesvm adapter) for a landed transaction signed by the order's authority that pays
 * the escrow exactly and carries the memo — the signed transaction is checked there — and then
 * "fulfils" on the local Polygon by minting USDC.e to the recipient, once. `tamper` makes it
 * return malicious transactions for refusal tests.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { getTransferSolInstruction } from '@solana-program/system'
import {
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getAddressDecoder,
  getTransactionEncoder,
  isAddress,
  lamports,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
  type Signature,
} from '@solana/kit'
import { isAddress as isEvmAddress, type Hex } from 'viem'
import type { SolanaRpc } from '../../../src/chain/rpc/solanaRpc.ts'
import { compiledContract } from '../compileContracts.ts'
import type { PolygonFixture } from '../polygonFixture.ts'

const MEMO_PROGRAM = address('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr')
export const STANDIN_FIX_FEE = 15_000_000n
const USDC_PER_SOL = 150_000_000n
const randomAddress = (): Address => getAddressDecoder().decode(randomBytes(32))

type Order = { id: string; authority: string; recipient: Hex; srcAmount: bigint; dstAmount: bigint; signature?: string; fulfilTx?: Hex }

export type DlnStandin = Readonly<{ url: string; escrow: Address; orders: Map<string, Order>; tamper: { mode: 'none' | 'extra-transfer' | 'foreign-program' | 'second-signer' }; stop(): Promise<void> }>

export async function startDlnStandin(deps: { rpc: SolanaRpc; polygon: PolygonFixture; dstChainId: number; escrow: Address }): Promise<DlnStandin> {
  const orders = new Map<string, Order>()
  const tamper: DlnStandin['tamper'] = { mode: 'none' }
  const usdcE = deps.polygon.config.contracts.usdcE
  let nonce = 0

  async function buildTransaction(order: Order): Promise<string> {
    const payer = createNoopSigner(address(order.authority))
    const instructions: Instruction[] = [
      getTransferSolInstruction({ source: payer, destination: deps.escrow, amount: lamports(order.srcAmount + STANDIN_FIX_FEE) }),
      { programAddress: MEMO_PROGRAM, data: new TextEncoder().encode(order.id) },
    ]
    if (tamper.mode === 'extra-transfer') instructions.push(getTransferSolInstruction({ source: payer, destination: randomAddress(), amount: lamports(order.srcAmount) }))
    if (tamper.mode === 'foreign-program') instructions.push({ programAddress: randomAddress(), data: new Uint8Array([1]) })
    if (tamper.mode === 'second-signer') instructions.push(getTransferSolInstruction({ source: createNoopSigner(deps.escrow), destination: payer.address, amount: lamports(1n) }))
    const { value: blockhash } = await deps.rpc.getLatestBlockhash().send()
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(payer.address, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
    )
    return `0x${Buffer.from(getTransactionEncoder().encode(compileTransaction(message))).toString('hex')}`
  }

  /** Finds the order's landed transaction on Solana and fulfils it on Polygon once. */
  async function settle(order: Order): Promise<void> {
    if (order.fulfilTx !== undefined) return
    const signatures = await deps.rpc.getSignaturesForAddress(deps.escrow).send()
    for (const { signature, err } of signatures) {
      if (err !== null) continue
      const tx = await deps.rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send()
      if (tx?.meta == null) continue
      const keys = tx.transaction.message.accountKeys.map(String)
      const escrowIndex = keys.indexOf(deps.escrow)
      const paid = BigInt(tx.meta.postBalances[escrowIndex] ?? 0n) - BigInt(tx.meta.preBalances[escrowIndex] ?? 0n)
      const memo = (tx.meta.logMessages ?? []).some((line) => line.includes(order.id))
      if (keys[0] === order.authority && paid === order.srcAmount + STANDIN_FIX_FEE && memo) {
        order.signature = signature
        const abi = compiledContract('TestToken').abi
        order.fulfilTx = await deps.polygon.wallet.writeContract({ address: usdcE, abi, functionName: 'mint', args: [order.recipient, order.dstAmount] })
        return
      }
    }
  }

  async function route(url: URL): Promise<[number, unknown]> {
    if (url.pathname === '/v1.0/dln/order/create-tx') {
      const q = Object.fromEntries(url.searchParams)
      const amount = /^[0-9]+$/.test(q.srcChainTokenInAmount ?? '') ? BigInt(q.srcChainTokenInAmount!) : 0n
      const valid =
        q.srcChainId === '7565164' && q.srcChainTokenIn === '11111111111111111111111111111111' && amount > 0n && q.dstChainId === String(deps.dstChainId) &&
        q.dstChainTokenOut?.toLowerCase() === usdcE.toLowerCase() && q.dstChainTokenOutAmount === 'auto'
      if (!valid) return [400, { errorCode: 0, errorMessage: 'invalid parameters' }]
      const dstAmount = (amount * USDC_PER_SOL * 99n) / (100n * 1_000_000_000n)
      const estimation = { srcChainTokenIn: { address: q.srcChainTokenIn, chainId: 7565164, decimals: 9, amount: amount.toString() }, dstChainTokenOut: { address: usdcE, chainId: deps.dstChainId, decimals: 6, amount: dstAmount.toString(), recommendedAmount: dstAmount.toString() } }
      if (q.srcChainOrderAuthorityAddress === undefined) return [200, { estimation, fixFee: STANDIN_FIX_FEE.toString() }]
      if (!isAddress(q.srcChainOrderAuthorityAddress) || !isEvmAddress(q.dstChainTokenOutRecipient ?? '') || !isEvmAddress(q.dstChainOrderAuthorityAddress ?? '')) return [400, { errorCode: 0, errorMessage: 'invalid addresses' }]
      const id = `0x${createHash('sha256').update(`${url.search}#${nonce++}`).digest('hex')}`
      const order: Order = { id, authority: q.srcChainOrderAuthorityAddress, recipient: q.dstChainTokenOutRecipient as Hex, srcAmount: amount, dstAmount }
      orders.set(id, order)
      return [200, { estimation, tx: { data: await buildTransaction(order) }, orderId: id, fixFee: STANDIN_FIX_FEE.toString() }]
    }
    const status = /^\/v1\.0\/dln\/order\/(0x[0-9a-f]{64})\/status$/.exec(url.pathname)
    if (status !== null) {
      const order = orders.get(status[1]!)
      if (order === undefined) return [404, { errorCode: 2, errorMessage: 'order not found' }]
      await settle(order)
      return [200, { orderId: order.id, status: order.fulfilTx === undefined ? 'Created' : 'Fulfilled' }]
    }
    const byTx = /^\/v1\.0\/dln\/tx\/([1-9A-HJ-NP-Za-km-z]+)\/order-ids$/.exec(url.pathname)
    if (byTx !== null) {
      for (const order of orders.values()) await settle(order)
      return [200, { orderIds: [...orders.values()].filter((o) => o.signature === (byTx[1] as Signature)).map((o) => o.id) }]
    }
    return [404, { errorCode: 404, errorMessage: 'not found' }]
  }

  const server: Server = createServer((req, res) => {
    route(new URL(req.url ?? '/', 'http://standin'))
      .then(([code, body]) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)))
      .catch((error: unknown) => res.writeHead(500).end(JSON.stringify({ errorMessage: String(error) })))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.freeze({
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    escrow: deps.escrow,
    orders,
    tamper,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  })
}
