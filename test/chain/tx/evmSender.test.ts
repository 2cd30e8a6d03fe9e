import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { erc20Abi, parseEther, parseGwei, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { erc1155ApprovalAbi, erc20ApproveCall, erc20TransferCall, nativeTransferCall, onrampWrapCall, setApprovalForAllCall } from '../../../src/chain/tx/evmCalls.ts'
import type { EvmOutboxStore } from '../../../src/store/chain/evmOutbox.ts'
import { createEvmSender, intentHash, type EvmSender } from '../../../src/chain/tx/evmSender.ts'
import { hasChainReason, type ChainErrorReason } from '../../../src/chain/chainErrors.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { createSqlEvmOutboxStore } from '../../../src/store/chain/evmOutboxStore.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { createTestStore, ENGINES, type TestStore } from '../../support/engines.ts'
import { compiledContract } from '../compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'

const tokenAbi = compiledContract('TestToken').abi
const coded = (code: string) => (e: unknown) => isCoffreError(e) && e.code === code
const refused = (reason: ChainErrorReason) => (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_CONFLICT' && hasChainReason(e, reason)

for (const engine of ENGINES) {
  describe(`EVM transaction outbox on anvil (${engine})`, () => {
    let fx: PolygonFixture
    let testStore: TestStore
    let store: Store
    let outbox: EvmOutboxStore
    let user: PrivateKeyAccount
    let sender: EvmSender
    const drain = async (ids: string[]) => {
      for (let round = 0; round < 40; round++) {
        const rows = await Promise.all(ids.map((id) => outbox.get(id)))
        if (rows.every((r) => r !== undefined && ['confirmed', 'reverted', 'failed'].includes(r.state))) return rows.map((r) => r!)
        await sender.processDue()
        await fx.test.mine({ blocks: 1 })
      }
      throw new Error(`not final: ${JSON.stringify((await Promise.all(ids.map((id) => outbox.get(id)))).map((r) => [r?.id, r?.state, r?.lastError]))}`)
    }

    before(async () => {
      fx = await startPolygonFixture({ confirmations: 2 })
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      outbox = createSqlEvmOutboxStore(store.db, store.dialect)
      user = privateKeyToAccount(generatePrivateKey())
      await fx.test.setBalance({ address: user.address, value: parseEther('10') })
      sender = createEvmSender({ polygon: fx.polygon, store: outbox, signerFor: () => user, tuning: { pollMs: 0 } })
    })
    after(async () => {
      await store?.close()
      await testStore?.cleanup()
      await fx?.stop()
    })

    it('sends transfers, approvals and an onramp wrap in nonce order and tracks them to N confirmations', async () => {
      const { pUsd, usdcE, conditionalTokens, collateralOnramp, exchangeV2, negRiskAdapter } = fx.config.contracts
      await fx.wallet.writeContract({ address: usdcE, abi: tokenAbi, functionName: 'mint', args: [user.address, 5_000_000n] })
      const friend = privateKeyToAccount(generatePrivateKey()).address
      const calls = [
        nativeTransferCall(friend, parseEther('0.5')),
        erc20ApproveCall(pUsd, exchangeV2, 2n ** 256n - 1n),
        setApprovalForAllCall(conditionalTokens, negRiskAdapter, true),
        erc20ApproveCall(usdcE, collateralOnramp, 3_000_000n),
        // Gas is given: estimating the wrap before the approval above is mined would revert.
        { ...onrampWrapCall(collateralOnramp, usdcE, user.address, 3_000_000n), gas: 200_000n },
        erc20TransferCall(usdcE, friend, 1_000_000n),
      ]
      const submitted = []
      for (const [i, call] of calls.entries()) submitted.push(await sender.submit({ id: `${engine}-batch-${i}`, from: user.address, call }))
      assert.deepEqual(submitted.map((t) => t.nonce), [0, 1, 2, 3, 4, 5])
      assert.ok(submitted.every((t) => t.state === 'sent' && t.raw !== null && t.txHash !== null))
      const final = await drain(submitted.map((t) => t.id))
      assert.deepEqual(final.map((t) => t.state), ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed'])
      assert.ok(final.every((t) => t.minedHash === t.txHash && t.blockNumber !== null))
      assert.equal(await fx.test.getBalance({ address: friend }), parseEther('0.5'))
      assert.equal(await fx.test.readContract({ address: pUsd, abi: erc20Abi, functionName: 'allowance', args: [user.address, exchangeV2] }), 2n ** 256n - 1n)
      assert.equal(await fx.test.readContract({ address: conditionalTokens, abi: erc1155ApprovalAbi, functionName: 'isApprovedForAll', args: [user.address, negRiskAdapter] }), true)
      assert.equal(await fx.test.readContract({ address: pUsd, abi: erc20Abi, functionName: 'balanceOf', args: [user.address] }), 3_000_000n)
      assert.equal(await fx.test.readContract({ address: usdcE, abi: erc20Abi, functionName: 'balanceOf', args: [friend] }), 1_000_000n)
    })

    it('returns the stored transaction for a repeated request id and refuses another intent under it', async () => {
      const to = privateKeyToAccount(generatePrivateKey()).address
      const first = await sender.submit({ id: `${engine}-once`, from: user.address, call: nativeTransferCall(to, 1n) })
      const again = await sender.submit({ id: `${engine}-once`, from: user.address, call: nativeTransferCall(to, 1n) })
      assert.equal(again.txHash, first.txHash)
      assert.equal(again.nonce, first.nonce)
      await assert.rejects(sender.submit({ id: `${engine}-once`, from: user.address, call: nativeTransferCall(to, 2n) }), coded('COFFRE_IDEMPOTENCY_MISMATCH'))
      await drain([first.id])
      assert.equal(await fx.test.getBalance({ address: to }), 1n)
      assert.equal((await outbox.attempts(first.id)).length, 1)
    })

    it('refuses a transaction that would revert or costs more than the fee cap, storing nothing and using no nonce', async () => {
      const before = await outbox.list({ from: user.address })
      const tooMuch = erc20TransferCall(fx.config.contracts.pUsd, user.address, 10n ** 30n)
      await assert.rejects(sender.submit({ id: `${engine}-revert`, from: user.address, call: tooMuch }), refused('would-revert'))
      const capped = createEvmSender({ polygon: { ...fx.polygon, config: { ...fx.config, maxFeePerGas: 1n } }, store: outbox, signerFor: () => user })
      await assert.rejects(capped.submit({ id: `${engine}-capped`, from: user.address, call: nativeTransferCall(user.address, 1n) }), refused('fee-cap-exceeded'))
      assert.equal((await outbox.list({ from: user.address })).length, before.length)
      const next = await sender.submit({ id: `${engine}-after-refusals`, from: user.address, call: nativeTransferCall(user.address, 1n) })
      assert.equal(next.nonce, Math.max(...before.map((t) => t.nonce)) + 1)
      await drain([next.id])
    })

    it('finishes a transaction stored before a crash (prepared, never signed) exactly once', async () => {
      const to = privateKeyToAccount(generatePrivateKey()).address
      const call = nativeTransferCall(to, 777n)
      const pending = await fx.test.getTransactionCount({ address: user.address, blockTag: 'pending' })
      const now = Date.now()
      const { tx } = await outbox.prepare({
        id: `${engine}-crashed`, chainId: fx.config.chainId, from: user.address, chainPendingNonce: pending, to, value: 777n, data: '0x', gas: 21_000n,
        fees: { maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1') }, intentHash: intentHash(fx.config.chainId, user.address, call), now, nextAttemptAt: now,
      })
      assert.equal(tx.state, 'prepared')
      const [final] = await drain([tx.id])
      assert.equal(final?.state, 'confirmed')
      assert.equal(await fx.test.getBalance({ address: to }), 777n)
      // The request id maps to that one transaction.
      const again = await sender.submit({ id: `${engine}-crashed`, from: user.address, call })
      assert.equal(again.txHash, final?.txHash)
    })

    it('refuses what a faulty signer returns in place of the requested transaction', async () => {
      const other = privateKeyToAccount(generatePrivateKey()).address
      const liar = { address: user.address, signTransaction: (tx: Parameters<PrivateKeyAccount['signTransaction']>[0]) => user.signTransaction({ ...tx, to: other } as never) as Promise<Hex> }
      const lying = createEvmSender({ polygon: fx.polygon, store: outbox, signerFor: () => liar, tuning: { pollMs: 0 } })
      await assert.rejects(lying.submit({ id: `${engine}-liar`, from: user.address, call: nativeTransferCall(user.address, 5n) }), coded('COFFRE_SIGNING_FAILED'))
      const row = await outbox.get(`${engine}-liar`)
      assert.equal(row?.state, 'prepared')
      assert.equal(row?.raw, null)
      assert.equal(await fx.test.getBalance({ address: other }), 0n)
      // The honest signer completes it at the nonce it was given.
      await drain([`${engine}-liar`])
      assert.equal((await outbox.get(`${engine}-liar`))?.state, 'confirmed')
    })
  })
}
