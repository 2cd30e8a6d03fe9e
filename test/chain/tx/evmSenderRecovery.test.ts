import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { nativeTransferCall } from '../../../src/chain/tx/evmCalls.ts'
import { createEvmSender } from '../../../src/chain/tx/evmSender.ts'
import { createSqlEvmOutboxStore } from '../../../src/store/chain/evmOutboxStore.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { createTestStore, type TestStore } from '../../support/engines.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'

const run = promisify(execFile)

describe('EVM outbox: a stuck transaction is replaced at the same nonce, and survives a reorg (anvil, automine off)', () => {
  let fx: PolygonFixture
  let testStore: TestStore
  let store: Store
  before(async () => {
    fx = await startPolygonFixture({ automine: false, confirmations: 3 })
    testStore = await createTestStore('sqlite')
    store = await openStore(testStore.config)
  })
  after(async () => {
    await store?.close()
    await testStore?.cleanup()
    await fx?.stop()
  })

  it('bumps the fees after stuckAfterMs, the replacement is mined, the first attempt never is', async () => {
    const outbox = createSqlEvmOutboxStore(store.db, store.dialect)
    const user = privateKeyToAccount(generatePrivateKey())
    await fx.test.setBalance({ address: user.address, value: parseEther('1') })
    let clock = 1_000_000
    const sender = createEvmSender({ polygon: fx.polygon, store: outbox, signerFor: () => user, now: () => clock, tuning: { pollMs: 0, stuckAfterMs: 60_000, leaseMs: 1 } })
    const to = privateKeyToAccount(generatePrivateKey()).address
    const sent = await sender.submit({ id: 'stuck', from: user.address, call: nativeTransferCall(to, 4242n) })
    assert.equal(sent.state, 'sent')
    clock += 10_000
    await sender.processDue()
    assert.equal((await outbox.attempts('stuck')).length, 1, 'not stuck yet: rebroadcast only')
    clock += 60_000
    await sender.processDue()
    const attempts = await outbox.attempts('stuck')
    assert.equal(attempts.length, 2)
    const [first, second] = attempts as [(typeof attempts)[0], (typeof attempts)[0]]
    assert.ok(second.fees.maxFeePerGas * 10n >= first.fees.maxFeePerGas * 11n && second.fees.maxPriorityFeePerGas * 10n >= first.fees.maxPriorityFeePerGas * 11n)
    const replaced = await outbox.get('stuck')
    assert.equal(replaced?.txHash, second.txHash)
    assert.equal(replaced?.nonce, sent.nonce)

    await fx.test.mine({ blocks: 1 })
    clock += 1
    await sender.processDue()
    const mined = await outbox.get('stuck')
    assert.equal(mined?.state, 'mined')
    assert.equal(mined?.minedHash, second.txHash)
    await assert.rejects(fx.test.getTransactionReceipt({ hash: first.txHash }))

    // A reorg takes the block away before 3 confirmations: the row goes back to sent and the same
    // signed replacement is mined again.
    await fx.test.request({ method: 'anvil_reorg', params: [1, []] } as never)
    clock += 1
    await sender.processDue()
    assert.equal((await outbox.get('stuck'))?.state, 'sent')
    for (let i = 0; i < 8 && (await outbox.get('stuck'))?.state !== 'confirmed'; i++) {
      clock += 1
      await sender.processDue()
      await fx.test.mine({ blocks: 1 })
    }
    const final = await outbox.get('stuck')
    assert.equal(final?.state, 'confirmed')
    assert.equal(final?.minedHash, second.txHash)
    assert.equal(await fx.test.getBalance({ address: to }), 4242n)
    assert.equal((await outbox.attempts('stuck')).length, 2)
  })
})

describe('EVM outbox: nonces stay unique across 3 processes on one PostgreSQL', () => {
  let fx: PolygonFixture
  let testStore: TestStore
  let store: Store
  before(async () => {
    fx = await startPolygonFixture({ confirmations: 1 })
    testStore = await createTestStore('postgres')
    store = await openStore(testStore.config)
  })
  after(async () => {
    await store?.close()
    await testStore?.cleanup()
    await fx?.stop()
  })

  it('hands out 0 … 3n−1 once each, and every transaction is mined', async () => {
    const key = generatePrivateKey()
    const user = privateKeyToAccount(key)
    await fx.test.setBalance({ address: user.address, value: parseEther('10') })
    const to = privateKeyToAccount(generatePrivateKey()).address
    const { proxyFactory: _none, ...contracts } = fx.config.contracts
    const count = 12
    const startAt = Date.now() + 12_000
    const script = fileURLToPath(new URL('./evmSubmitProcess.ts', import.meta.url))
    const outputs = await Promise.all(
      ['a', 'b', 'c'].map((prefix) =>
        run(process.execPath, ['--import', 'tsx', script, JSON.stringify({ databaseUrl: (testStore.config as { url: string }).url, rpcUrl: fx.anvil.url, chainId: fx.config.chainId, contracts, privateKey: key, prefix, count, startAt, to })], { timeout: 120_000 }),
      ),
    )
    const rows = outputs.flatMap((o) => JSON.parse(o.stdout) as [string, number, string][])
    assert.equal(rows.length, 3 * count)
    assert.deepEqual(rows.map((r) => r[1]).sort((a, b) => a - b), Array.from({ length: 3 * count }, (_, i) => i))
    const outbox = createSqlEvmOutboxStore(store.db, store.dialect)
    const sender = createEvmSender({ polygon: fx.polygon, store: outbox, signerFor: () => user, tuning: { pollMs: 0 } })
    for (let i = 0; i < 20 && (await outbox.list({ state: 'confirmed' })).length < 3 * count; i++) {
      await sender.processDue(100)
      await fx.test.mine({ blocks: 1 })
    }
    const states = (await outbox.list()).filter((t) => t.state !== 'confirmed').map((t) => [t.id, t.nonce, t.state, t.lastError])
    assert.deepEqual(states, [])
    assert.equal(await fx.test.getTransactionCount({ address: user.address }), 3 * count)
    assert.equal(await fx.test.getBalance({ address: to }), 3n * BigInt((count * (count + 1)) / 2))
  })
})
