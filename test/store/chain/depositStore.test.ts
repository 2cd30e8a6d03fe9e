import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { scanEvmDeposits, type EvmScanOptions } from '../../../src/chain/deposits/scanEvmDeposits.ts'
import { scanSolanaDeposits } from '../../../src/chain/deposits/scanSolanaDeposits.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { loadEvmCheckpoint, loadSolanaCheckpoints, recordEvmScan, recordSolanaScan, type DepositEvent } from '../../../src/store/chain/depositStore.ts'
import { createSqlWebhookStore, enqueueWebhookEvent } from '../../../src/store/chain/webhookStore.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { createTestStore, ENGINES, type TestStore } from '../../support/engines.ts'
import { compiledContract } from '../../chain/compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../../chain/polygonFixture.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../../chain/solanaFixture.ts'

const tokenAbi = compiledContract('TestToken').abi
const HOOK = 'http://127.0.0.1:9/hook'

for (const engine of ENGINES) {
  describe(`deposits stored with their webhook events, reorg-safe (${engine})`, () => {
    let fx: PolygonFixture
    let sol: SolanaFixture
    let testStore: TestStore
    let store: Store
    let options: EvmScanOptions
    const scanner = 'polygon-deposits'
    const step = async () => {
      const stored = await loadEvmCheckpoint(store.db, scanner)
      const checkpoint = stored?.checkpoint ?? { nextBlock: 1n, recentBlocks: [] }
      const result = await scanEvmDeposits(fx.polygon.client, checkpoint, options)
      return recordEvmScan(store.db, {
        scanner, chainId: fx.config.chainId, expectedVersion: stored?.version, result,
        onEvents: async (trx, events) => { for (const e of events) await enqueueWebhookEvent(trx, { type: e.type, data: e, endpoints: [HOOK], now: Date.now() }) },
      })
    }
    const summary = (events: readonly DepositEvent[]) => events.map((e) => `${e.type} ${e.amount}`)

    before(async () => {
      fx = await startPolygonFixture({ confirmations: 1 })
      sol = await startSolanaFixture()
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      const user = privateKeyToAccount(generatePrivateKey()).address
      options = { recipients: [user], tokens: [fx.config.contracts.pUsd], native: true, confirmations: 1, maxBlocks: 500, reorgWindow: 64, logBlockRange: 100, logAddressBatch: 100 }
    })
    after(async () => {
      await store?.close()
      await testStore?.cleanup()
      await fx?.stop()
      await sol?.stop()
    })

    it('stores each deposit once with its event, voids it on a reorg and confirms it again if re-included', async () => {
      const user = options.recipients[0]!
      // A payer of its own, funded by a real transfer below the reorg (anvil's setBalance would
      // not survive it), so the same signed transfer can be re-included afterwards.
      const payer = privateKeyToAccount(generatePrivateKey())
      await fx.wallet.sendTransaction({ to: payer.address, value: 10n ** 18n })
      const mint = await fx.wallet.writeContract({ address: fx.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [user, 250n] })
      const raw = await fx.walletFor(payer).signTransaction({ to: user, value: 9n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, nonce: 0 } as never)
      await fx.test.sendRawTransaction({ serializedTransaction: raw })
      await fx.test.mine({ blocks: 1 })
      assert.deepEqual(summary(await step()), ['deposit.confirmed 250', 'deposit.confirmed 9'])
      assert.deepEqual(await step(), [], 'a repeated step stores nothing new')
      const rows = await store.db.selectFrom('chain_deposits').selectAll().execute()
      assert.equal(rows.length, 2)
      assert.equal(rows.find((r) => r.position >= 0)?.tx_ref, mint)

      // The two deposit blocks disappear; the native transfer is re-mined in a new block.
      await fx.test.request({ method: 'anvil_reorg', params: [3, [[raw, 0]]] } as never)
      await fx.test.mine({ blocks: 1 })
      const events = await step()
      assert.deepEqual(summary(events).sort(), ['deposit.confirmed 9', 'deposit.reverted 250', 'deposit.reverted 9'])
      const after = await store.db.selectFrom('chain_deposits').selectAll().execute()
      assert.deepEqual(after.map((r) => [r.amount, r.state]).sort(), [['250', 'reverted'], ['9', 'confirmed']])
      const hooks = await createSqlWebhookStore(store.db, store.dialect).list()
      assert.deepEqual(hooks.map((h) => h.event.type).sort(), ['deposit.confirmed', 'deposit.confirmed', 'deposit.confirmed', 'deposit.reverted', 'deposit.reverted'])
      assert.ok(hooks.every((h) => h.endpoint === HOOK && h.state === 'pending'))
    })

    it('refuses a second runner that advances from a stale checkpoint, storing nothing of its step', async () => {
      const stored = await loadEvmCheckpoint(store.db, scanner)
      await fx.wallet.writeContract({ address: fx.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [options.recipients[0]!, 1n] })
      await fx.test.mine({ blocks: 1 })
      const result = await scanEvmDeposits(fx.polygon.client, stored!.checkpoint, options)
      await step() // the other runner wins
      const before = await store.db.selectFrom('chain_deposits').selectAll().execute()
      await assert.rejects(recordEvmScan(store.db, { scanner, chainId: fx.config.chainId, expectedVersion: stored!.version, result }), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_CONFLICT')
      assert.deepEqual(await store.db.selectFrom('chain_deposits').selectAll().execute(), before)
    })

    it('stores Solana deposits and account checkpoints together', async () => {
      const sender = await sol.newFundedSigner(2n)
      const watched = (await sol.newFundedSigner(1n)).address
      await sol.transferSol(sender, watched, LAMPORTS_PER_SOL / 10n)
      const checkpoints = await loadSolanaCheckpoints(store.db, [])
      const result = await scanSolanaDeposits(sol.solana, [watched], checkpoints)
      const owners = new Map([...result.checkpoints.keys()].map((account) => [account, watched as string]))
      const events = await recordSolanaScan(store.db, { deposits: result.deposits, checkpoints: result.checkpoints, owners })
      assert.deepEqual(summary(events), ['deposit.confirmed 1000000000', 'deposit.confirmed 100000000'])
      const saved = await loadSolanaCheckpoints(store.db, [...result.checkpoints.keys()])
      assert.equal(saved.size, 2)
      const again = await scanSolanaDeposits(sol.solana, [watched], saved)
      assert.deepEqual(await recordSolanaScan(store.db, { deposits: again.deposits, checkpoints: again.checkpoints, owners }), [])
      assert.equal(again.deposits.length, 0)
    })
  })
}
