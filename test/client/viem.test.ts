/**
 * coffre/viem on a real chain: a Coffre-backed viem account in an unchanged wallet client sends a
 * transfer on anvil (viem fills nonce, gas and fees; Coffre signs; anvil checks the signature),
 * signs an EIP-2612 Permit that viem's verifyTypedData accepts, and signs messages.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createPublicClient, createTestClient, createWalletClient, http, parseEther, verifyMessage, verifyTypedData, type Address } from 'viem'
import { foundry } from 'viem/chains'
import { createCoffreClient, isCoffreApiError } from '../../src/client/index.ts'
import { toCoffreAccount, type CoffreAccount } from '../../src/client/viem.ts'
import { startAnvil, type Anvil } from '../support/anvil.ts'
import { startLiveService, type LiveService } from './liveService.ts'

let anvil: Anvil
let service: LiveService
let account: CoffreAccount
let userId: string

before(async () => {
  anvil = await startAnvil()
  service = await startLiveService()
  const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
  userId = (await coffre.users.create({ telegramUserId: 5001 })).id
  account = await toCoffreAccount({ client: coffre, userId })
})
after(async () => {
  await service?.close()
  await anvil?.stop()
})

const chain = () => ({ ...foundry, rpcUrls: { default: { http: [anvil.url] } } })

describe('toCoffreAccount', () => {
  test("is the user's Polygon address, as a viem local account", async () => {
    const user = await service.test.vault.users.get({ id: userId })
    assert.equal(account.address, user?.polygonAddress)
    assert.equal(account.type, 'local')
  })

  test('walletClient.sendTransaction sends a transfer that anvil accepts and mines', async () => {
    const publicClient = createPublicClient({ chain: chain(), transport: http(anvil.url) })
    await createTestClient({ chain: chain(), mode: 'anvil', transport: http(anvil.url) }).setBalance({ address: account.address, value: parseEther('1') })
    const wallet = createWalletClient({ account, chain: chain(), transport: http(anvil.url) })
    const recipient: Address = '0x000000000000000000000000000000000000c0ff'
    const hash = await wallet.sendTransaction({ to: recipient, value: 123_456_789n })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    assert.equal(receipt.status, 'success')
    assert.equal(receipt.from.toLowerCase(), account.address.toLowerCase())
    assert.equal(await publicClient.getBalance({ address: recipient }), 123_456_789n)
    // A second one: viem reads the next nonce; Coffre signs whatever viem prepared.
    const second = await wallet.sendTransaction({ to: recipient, value: 1n })
    assert.equal((await publicClient.waitForTransactionReceipt({ hash: second })).status, 'success')
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), 2)
  })

  test('an EIP-2612 Permit signed through the wallet client verifies with verifyTypedData', async () => {
    const wallet = createWalletClient({ account, chain: chain(), transport: http(anvil.url) })
    const permit = {
      domain: { name: 'USD Coin (PoS)', version: '1', chainId: 137, verifyingContract: '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174' },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner: account.address, spender: '0xE111180000d2663C0091e4f400237545B87B996B', value: 2n ** 255n + 7n, nonce: 0n, deadline: 1_900_000_000n },
    } as const
    const signature = await wallet.signTypedData(permit)
    assert.equal(await verifyTypedData({ ...permit, address: account.address, signature }), true)
    assert.equal(await verifyTypedData({ ...permit, message: { ...permit.message, value: 1n }, address: account.address, signature }), false, 'a different Permit does not verify')
  })

  test('signMessage: text and raw bytes verify with verifyMessage', async () => {
    const wallet = createWalletClient({ account, chain: chain(), transport: http(anvil.url) })
    const text = await wallet.signMessage({ message: 'gm from coffre' })
    assert.equal(await verifyMessage({ address: account.address, message: 'gm from coffre', signature: text }), true)
    const raw = await account.signMessage({ message: { raw: '0x00ff10' } })
    assert.equal(await verifyMessage({ address: account.address, message: { raw: '0x00ff10' }, signature: raw }), true)
    assert.equal(await verifyMessage({ address: account.address, message: { raw: '0x00ff11' }, signature: raw }), false)
  })

  test('a legacy transaction is refused before any call, with a typed error', async () => {
    const wallet = createWalletClient({ account, chain: chain(), transport: http(anvil.url) })
    await assert.rejects(
      wallet.sendTransaction({ to: '0x000000000000000000000000000000000000c0ff', value: 1n, type: 'legacy', gasPrice: 10n ** 9n }),
      (error: unknown) => {
        let e = error
        while (e instanceof Error && !isCoffreApiError(e) && e.cause !== undefined) e = e.cause
        return isCoffreApiError(e) && e.code === 'COFFRE_UNSUPPORTED'
      },
    )
  })
})
