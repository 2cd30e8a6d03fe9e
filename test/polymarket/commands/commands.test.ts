import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { privateKeySigner } from '../../../src/polymarket/evmSigner.ts'
import { l1HeadersCommand } from '../../../src/polymarket/commands/l1Headers.ts'
import { l2HeadersCommand } from '../../../src/polymarket/commands/l2Headers.ts'
import { orderSignCommand } from '../../../src/polymarket/commands/orderSign.ts'
import { walletsCommand } from '../../../src/polymarket/commands/wallets.ts'

const signer = privateKeySigner(Buffer.from('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'hex'))
const order = {
  salt: '479249096354', maker: signer.address, signer: signer.address, tokenId: '1234', makerAmount: '100000000', takerAmount: '50000000',
  side: 'BUY', signatureType: '0', timestamp: '1710000000000', metadata: `0x${'0'.repeat(64)}`, builder: `0x${'0'.repeat(64)}`, expiration: '0',
}

describe('polymarket CLI helpers', () => {
  it('l1-headers parses strings and matches the Rust client vector', async () => {
    const headers = await l1HeadersCommand(signer, { chainId: '80002', timestamp: '10000000', nonce: '23' })
    assert.equal(headers.POLY_SIGNATURE.slice(0, 12), '0xf62319a987')
    await assert.rejects(l1HeadersCommand(signer, { chainId: '1' }), { code: 'COFFRE_INVALID_INPUT' })
    await assert.rejects(l1HeadersCommand(signer, { chainId: '137', nonce: '-1' }), { code: 'COFFRE_INVALID_INPUT' })
  })

  it('l2-headers strips the query string and upper-cases the method', () => {
    const creds = { key: 'k', secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', passphrase: 'p' }
    const headers = l2HeadersCommand(creds, { address: signer.address.toLowerCase(), method: 'get', path: '/?x=1', timestamp: '1' })
    assert.deepEqual(headers, { POLY_ADDRESS: signer.address, POLY_SIGNATURE: 'eHaylCwqRSOa2LFD77Nt_SaTpbsxzN8eTEI3LryhEj4=', POLY_TIMESTAMP: '1', POLY_API_KEY: 'k', POLY_PASSPHRASE: 'p' })
  })

  it('order sign signs only for the chain\'s V2 exchanges and this signer', async () => {
    const out = await orderSignCommand(signer, { order, chainId: '80002', exchange: '0xe111180000d2663c0091e4f400237545b87b996b' })
    assert.match(out.hash, /^0x[0-9a-f]{64}$/)
    assert.match(out.signature, /^0x[0-9a-f]{128}1[bc]$/)
    await assert.rejects(orderSignCommand(signer, { order, chainId: '137', exchange: '0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E' }), { code: 'COFFRE_INVALID_INPUT' })
    await assert.rejects(orderSignCommand(signer, { order: { ...order, signer: '0x1111111111111111111111111111111111111111' }, chainId: 137, exchange: '0xE111180000d2663C0091e4f400237545B87B996B' }), { code: 'COFFRE_INVALID_INPUT' })
    await assert.rejects(orderSignCommand(signer, { order: { ...order, makerAmount: '1.5' }, chainId: 137, exchange: '0xE111180000d2663C0091e4f400237545B87B996B' }), { code: 'COFFRE_INVALID_INPUT' })
    await assert.rejects(orderSignCommand(signer, { order: [], chainId: 137, exchange: '0xE111180000d2663C0091e4f400237545B87B996B' }), { code: 'COFFRE_INVALID_INPUT' })
  })

  it('wallets gives proxy and safe on Polygon, no proxy on Amoy', () => {
    assert.deepEqual(walletsCommand({ address: signer.address }), { proxy: '0x365f0CA36Ae1f641E02fE3B7743673da42A13A70', safe: '0xd93B25cb943D14d0d34FBaF01Fc93a0f8b5F6E47' })
    assert.equal(walletsCommand({ address: signer.address, chainId: '80002' }).proxy, null)
    assert.throws(() => walletsCommand({ address: 'nope' }), { code: 'COFFRE_INVALID_INPUT' })
  })
})
