/**
 * What Polymarket accepts from a Safe (docs/safe.md):
 * - signatureType 2 (POLY_GNOSIS_SAFE): the maker must be the Safe that Polymarket's own Safe factory
 *   derives from the signing EOA, and the signature is that EOA's ECDSA over the order — the CTF
 *   exchange's PolySafeLib never reads the Safe's owners or threshold. Coffre's type-2 orders (maker
 *   = the vault EOA's Polymarket Safe) pass the stand-in CLOB; a Safe from the official v1.4.1
 *   factory is refused as a type-2 maker, as the exchange would.
 * - signatureType 3 (POLY_1271, CTF Exchange V2): signer = maker = a contract whose ERC-1271
 *   isValidSignature(orderHash, signature) says yes. An official multi-owner Safe does, with its
 *   owners' signatures over SafeMessage(orderHash) — shown on anvil against the real contracts.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { concat, encodeAbiParameters, getCreate2Address, keccak256, type Address, type Hex } from 'viem'
import { predictSafeAddress } from '../../../src/chain/safe/predictSafeAddress.ts'
import { ERC1271_MAGIC_VALUE, safeFallbackAbi, safeProxyFactoryAbi } from '../../../src/chain/safe/safeAbi.ts'
import { collectSafeSignatures, signSafeHash } from '../../../src/chain/safe/safeSignatures.ts'
import { encodeSafeSetup } from '../../../src/chain/safe/safeSetup.ts'
import { hashSafeMessageForHash } from '../../../src/chain/safe/safeTx.ts'
import { buildLimitOrderV2 } from '../../../src/polymarket/buildOrderV2.ts'
import { createClobClient } from '../../../src/polymarket/clobClient.ts'
import { privateKeySigner } from '../../../src/polymarket/evmSigner.ts'
import { orderPayloadV2, serializeOrderPayload } from '../../../src/polymarket/orderPayload.ts'
import { hashOrderV2, type OrderV2 } from '../../../src/polymarket/orderV2.ts'
import { upstreamFailure } from '../../../src/polymarket/upstreamError.ts'
import { safeWalletAddress } from '../../../src/polymarket/walletAddresses.ts'
import { startAnvil, type Anvil } from '../../support/anvil.ts'
import { startStandinClob, type StandinClob } from '../../polymarket/standinClob.ts'
import { deploySafeContracts, type SafeChain } from './safeArtifacts.ts'

/** PolySafeLib (Polymarket/ctf-exchange src/exchange/libraries/PolySafeLib.sol): the proxy code its Safe factory deploys. */
const POLY_SAFE_PROXY_CREATION_CODE: Hex =
  '0x608060405234801561001057600080fd5b5060405161017138038061017183398101604081905261002f916100b9565b6001600160a01b0381166100945760405162461bcd60e51b815260206004820152602260248201527f496e76616c69642073696e676c65746f6e20616464726573732070726f766964604482015261195960f21b606482015260840160405180910390fd5b600080546001600160a01b0319166001600160a01b03929092169190911790556100e7565b6000602082840312156100ca578081fd5b81516001600160a01b03811681146100e0578182fd5b9392505050565b607c806100f56000396000f3fe6080604052600080546001600160a01b0316813563530ca43760e11b1415602857808252602082f35b3682833781823684845af490503d82833e806041573d82fd5b503d81f3fea264697066735822122015938e3bf2c49f5df5c1b7f9569fa85cc5d6f3074bb258a2dc0c7e299bc9e33664736f6c63430008040033'
/** The Safe master copy Polymarket's Safe factory (0xaacFeEa0…) points its proxies at, on Polygon. */
const POLY_SAFE_MASTER_COPY: Address = '0xE51abdf814f8854941b9Fe8e3A4F65CAB4e7A4a8'
const POLY_SAFE_FACTORY: Address = '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b'

describe('Polymarket orders from a Safe', () => {
  let clob: StandinClob
  let anvil: Anvil
  let chain: SafeChain
  const vaultKey = new Uint8Array(randomBytes(32))
  const signer = privateKeySigner(vaultKey)
  const coSigners = [privateKeySigner(new Uint8Array(randomBytes(32))), privateKeySigner(new Uint8Array(randomBytes(32)))]
  before(async () => {
    ;[clob, anvil] = await Promise.all([startStandinClob({ chainId: 137 }), startAnvil()])
    chain = await deploySafeContracts(anvil.url)
  })
  after(async () => {
    await Promise.all([clob?.stop(), anvil?.stop()])
    signer.destroy()
  })

  test('type 2: the maker is the Polymarket Safe of the vault EOA — derived as PolySafeLib does — and the stand-in CLOB accepts the order', async () => {
    const expected = getCreate2Address({
      from: POLY_SAFE_FACTORY,
      salt: keccak256(encodeAbiParameters([{ type: 'address' }], [signer.address])),
      bytecodeHash: keccak256(concat([POLY_SAFE_PROXY_CREATION_CODE, encodeAbiParameters([{ type: 'address' }], [POLY_SAFE_MASTER_COPY])])),
    })
    assert.equal(safeWalletAddress(signer.address, 137), expected)
    const client = createClobClient({ baseUrl: clob.url, chainId: 137 })
    const credentials = await client.createOrDeriveApiKey(signer, { nonce: 0 })
    const built = await buildLimitOrderV2(signer, { tokenId: '1234', side: 'BUY', price: 0.4, size: 10, tickSize: '0.01', negRisk: false, chainId: 137, signatureType: 2 })
    assert.deepEqual([built.order.maker, built.order.signer, built.order.signatureType], [expected, signer.address, 2])
    const reply = await client.postOrder({ address: signer.address, credentials }, serializeOrderPayload(orderPayloadV2(built.order, credentials.key, 'GTC')))
    assert.deepEqual([reply.success, reply.orderID], [true, built.hash])
  })

  test('type 2 with a multi-owner Safe from the official v1.4.1 factory as maker is refused, as the exchange would', async () => {
    const initializer = encodeSafeSetup({ owners: [signer.address, ...coSigners.map((s) => s.address)], threshold: 2, fallbackHandler: chain.fallbackHandler })
    const officialSafe = predictSafeAddress({ proxyFactory: chain.proxyFactory, singleton: chain.singleton, initializer, saltNonce: 0n })
    const client = createClobClient({ baseUrl: clob.url, chainId: 137 })
    const credentials = await client.createOrDeriveApiKey(signer, { nonce: 1 })
    const built = await buildLimitOrderV2(signer, { tokenId: '1234', side: 'BUY', price: 0.4, size: 10, tickSize: '0.01', negRisk: false, chainId: 137, signatureType: 2, maker: officialSafe })
    await assert.rejects(
      client.postOrder({ address: signer.address, credentials }, serializeOrderPayload(orderPayloadV2(built.order, credentials.key, 'GTC'))),
      (error) => upstreamFailure(error)?.status === 400 && /maker does not match signer/.test(String(upstreamFailure(error)?.error)),
    )
  })

  test('type 3 (POLY_1271): an official 2-of-3 Safe validates its owners\' signatures over an order hash through ERC-1271, the exchange V2\'s check', async () => {
    const owners = [signer.address, ...coSigners.map((s) => s.address)]
    const initializer = encodeSafeSetup({ owners, threshold: 2, fallbackHandler: chain.fallbackHandler })
    const safe = predictSafeAddress({ proxyFactory: chain.proxyFactory, singleton: chain.singleton, initializer, saltNonce: 1n })
    const hash = await chain.walletClient.writeContract({ address: chain.proxyFactory, abi: safeProxyFactoryAbi, functionName: 'createProxyWithNonce', args: [chain.singleton, initializer, 1n] })
    await chain.publicClient.waitForTransactionReceipt({ hash })

    // A V2 order made by the Safe itself: signer = maker = Safe, signatureType 3 (outside Coffre's order builder, which offers 0–2 today).
    const order = { salt: '1', maker: safe, signer: safe, tokenId: '1234', makerAmount: '4000000', takerAmount: '10000000', side: 'BUY', signatureType: 3, timestamp: '1767225600000', metadata: `0x${'00'.repeat(32)}`, builder: `0x${'00'.repeat(32)}`, expiration: '0' } as unknown as OrderV2
    const orderHash = Buffer.from(hashOrderV2(order, 137, '0xE111180000d2663C0091e4f400237545B87B996B').slice(2), 'hex')
    const messageHash = hashSafeMessageForHash(orderHash, { chainId: anvil.chainId, safe })
    const signatures = await Promise.all([signer, coSigners[1]!].map((s) => signSafeHash(s, messageHash)))
    const collected = collectSafeSignatures(messageHash, signatures, owners, 2)
    const check = (sig: Hex) => chain.publicClient.readContract({ address: safe, abi: safeFallbackAbi, functionName: 'isValidSignature', args: [`0x${orderHash.toString('hex')}`, sig] })
    assert.equal(await check(collected.signatures), ERC1271_MAGIC_VALUE)
    await assert.rejects(check(signatures[0]!.signature), /GS020/, 'the vault key alone cannot trade for a 2-of-3 Safe')
  })
})
