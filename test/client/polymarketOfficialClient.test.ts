/**
 * The official @polymarket/clob-client-v2 on top of Coffre: constructed with a viem wallet client
 * whose account is a Coffre account (coffre/viem), it creates and derives API credentials (L1
 * ClobAuth signed by Coffre) and posts a V2 order (EIP-712 signed by Coffre) to the stand-in CLOB,
 * which verifies every signature as the real server does.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2'
import { createWalletClient, http } from 'viem'
import { polygon } from 'viem/chains'
import { createCoffreClient } from '../../src/client/index.ts'
import { toCoffreAccount } from '../../src/client/viem.ts'
import { startStandinClob, type StandinClob } from '../polymarket/standinClob.ts'
import { startLiveService, type LiveService } from './liveService.ts'

let clob: StandinClob
let service: LiveService

before(async () => {
  clob = await startStandinClob({ chainId: 137 })
  service = await startLiveService()
})
after(async () => {
  await service?.close()
  await clob?.stop()
})

describe('@polymarket/clob-client-v2 with a Coffre account', () => {
  test('creates, then derives, API credentials and posts an order the stand-in CLOB verifies', async () => {
    const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
    const user = await coffre.users.create({ telegramUserId: 7001 })
    const account = await toCoffreAccount({ client: coffre, userId: user.id })
    // No RPC is needed for signing; the transport is never called.
    const wallet = createWalletClient({ account, chain: polygon, transport: http('http://127.0.0.1:1') })

    const l1 = new ClobClient({ host: clob.url, chain: 137, signer: wallet })
    const creds = await l1.createOrDeriveApiKey()
    const issued = clob.state.keys.get(creds.key)
    assert.ok(issued, 'the stand-in issued the key after verifying the ClobAuth signature')
    assert.equal(issued.address, user.polygonAddress.toLowerCase())
    const again = await l1.createOrDeriveApiKey()
    assert.equal(again.key, creds.key, 'the second call derives the same key')

    const trader = new ClobClient({ host: clob.url, chain: 137, signer: wallet, creds })
    const reply = await trader.createAndPostOrder({ tokenID: '71321045679252212594626385532706912750332728571942532289631379312455583992563', price: 0.42, size: 25, side: Side.BUY }, { tickSize: '0.01', negRisk: false }, OrderType.GTC)
    assert.equal(reply.success, true, JSON.stringify(reply))
    const recorded = clob.state.orders.get(reply.orderID)
    assert.ok(recorded, 'the stand-in recorded the order after verifying its signature')
    const order = JSON.parse(recorded.body).order
    assert.deepEqual([order.maker.toLowerCase(), order.signer.toLowerCase(), order.side, order.makerAmount, order.takerAmount], [user.polygonAddress.toLowerCase(), user.polygonAddress.toLowerCase(), 'BUY', '10500000', '25000000'])
  })
})
