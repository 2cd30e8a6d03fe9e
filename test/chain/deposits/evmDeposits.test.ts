import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseEther, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { depositKey, type EvmScanCheckpoint } from '../../../src/store/chain/evmDeposit.ts'
import { scanEvmDeposits, type EvmScanOptions } from '../../../src/chain/deposits/scanEvmDeposits.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { compiledContract } from '../compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'

const tokenAbi = compiledContract('TestToken').abi
const newAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address

describe('EVM deposit scanning on anvil', () => {
  let fx: PolygonFixture
  let options: EvmScanOptions
  let users: Address[]
  let checkpoint: EvmScanCheckpoint
  let other: Address
  const scan = () => scanEvmDeposits(fx.polygon.client, checkpoint, options)
  const mine = (blocks: number) => fx.test.mine({ blocks })
  const rpc = (method: string, params: unknown[]) => fx.test.request({ method, params } as never) as Promise<unknown>

  before(async () => {
    fx = await startPolygonFixture({ confirmations: 2 })
    users = Array.from({ length: 1_200 }, newAddress)
    // A watched address that is a contract without receive(): native transfers to it revert.
    other = await fx.deploy('TestToken', ['Other', 'OTH', 6])
    options = {
      recipients: [...users, other],
      tokens: [fx.config.contracts.pUsd, fx.config.contracts.usdcE],
      native: true,
      confirmations: 2,
      maxBlocks: 1_000,
      reorgWindow: 64,
      logBlockRange: 3,
      logAddressBatch: 500,
    }
    checkpoint = { nextBlock: (await fx.test.getBlockNumber({ cacheTime: 0 })) + 1n, recentBlocks: [] }
  })
  after(async () => fx?.stop())

  it('finds ERC-20 and native transfers to watched addresses once they have N confirmations', async () => {
    const { pUsd, usdcE } = fx.config.contracts
    const first = users[0]!
    const last = users[1_199]! // in the third topic batch
    const pUsdTx = await fx.wallet.writeContract({ address: pUsd, abi: tokenAbi, functionName: 'mint', args: [first, 1_000_000n] })
    await fx.wallet.writeContract({ address: usdcE, abi: tokenAbi, functionName: 'mint', args: [last, 7n] })
    await fx.wallet.writeContract({ address: other, abi: tokenAbi, functionName: 'mint', args: [first, 99n] }) // not a watched token
    await fx.wallet.writeContract({ address: pUsd, abi: tokenAbi, functionName: 'mint', args: [newAddress(), 5n] }) // not a watched user
    const nativeTx = await fx.wallet.sendTransaction({ to: last, value: parseEther('0.25') })
    // A native transfer that reverts moves nothing, though its `to` is watched.
    const reverted = await fx.wallet.sendTransaction({ to: other, value: 1n, gas: 100_000n })
    assert.equal((await fx.test.getTransactionReceipt({ hash: reverted })).status, 'reverted')
    await fx.wallet.sendTransaction({ to: first, value: 0n }) // zero value is no deposit

    const early = await scan()
    const headNow = await fx.test.getBlockNumber({ cacheTime: 0 })
    assert.equal(early.scanned?.toBlock, headNow - 2n, 'only blocks with 2 confirmations are read')
    checkpoint = early.checkpoint
    await mine(2)
    const late = await scan()
    checkpoint = late.checkpoint
    const all = [...early.deposits, ...late.deposits]
    assert.deepEqual(
      all.map((d) => [d.asset, d.to, d.amount]),
      [
        [pUsd, first, 1_000_000n],
        [usdcE, last, 7n],
        ['native', last, parseEther('0.25')],
      ],
    )
    assert.equal(all[0]?.txHash, pUsdTx)
    assert.equal(all[0]?.from, '0x0000000000000000000000000000000000000000')
    assert.equal(all[2]?.txHash, nativeTx)
    assert.equal(all[2]?.logIndex, null)
    const receipt = await fx.test.getTransactionReceipt({ hash: nativeTx })
    assert.equal(all[2]?.blockHash, receipt.blockHash)
    assert.equal(checkpoint.nextBlock, (await fx.test.getBlockNumber({ cacheTime: 0 })) - 1n)
  })

  it('returns the same deposits when a step is repeated from the same checkpoint', async () => {
    const before = checkpoint
    await fx.wallet.writeContract({ address: fx.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [users[5]!, 3n] })
    await mine(2)
    const once = await scan()
    const twice = await scan()
    assert.deepEqual(once.deposits.map(depositKey), twice.deposits.map(depositKey))
    assert.equal(once.deposits.length, 1)
    assert.deepEqual(once.checkpoint, twice.checkpoint)
    assert.notDeepEqual(once.checkpoint, before)
    checkpoint = once.checkpoint
  })

  it('detects a reorg that removes a reported deposit, names its block and rescans', async () => {
    const victim = users[7]!
    const tx = await fx.wallet.writeContract({ address: fx.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [victim, 500n] })
    const { blockHash, blockNumber } = await fx.test.getTransactionReceipt({ hash: tx })
    await mine(2)
    const seen = await scan()
    checkpoint = seen.checkpoint
    assert.equal(seen.deposits.length, 1)
    assert.equal(seen.deposits[0]?.blockHash, blockHash)

    // Replace the last 4 blocks (the deposit's included) with empty ones, then one more on top.
    await rpc('anvil_reorg', [4, []])
    await mine(1)
    const after = await scan()
    assert.ok(after.reorg !== undefined, 'a reorg is reported')
    assert.ok(after.reorg.fromBlock <= blockNumber)
    assert.ok(after.reorg.removedBlocks.some((b) => b.hash === blockHash && b.number === blockNumber))
    assert.equal(after.scanned?.fromBlock, after.reorg.fromBlock)
    assert.equal(after.deposits.length, 0, 'the deposit is not on the new chain')
    checkpoint = after.checkpoint
    const quiet = await scan()
    assert.equal(quiet.reorg, undefined)
    checkpoint = quiet.checkpoint
  })

  it('finds a deposit again when the reorg re-includes its transaction in another block', async () => {
    const user = users[9]!
    const payer = privateKeyToAccount(generatePrivateKey())
    await fx.test.setBalance({ address: payer.address, value: parseEther('1') })
    const raw: Hex = await fx.walletFor(payer).signTransaction({ to: user, value: 12345n, gas: 21_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n, nonce: 0 } as never)
    const hash = await fx.test.sendRawTransaction({ serializedTransaction: raw })
    const first = await fx.test.getTransactionReceipt({ hash })
    await mine(2)
    const seen = await scan()
    checkpoint = seen.checkpoint
    assert.deepEqual(seen.deposits.map((d) => d.blockHash), [first.blockHash])
    // Reorg 3 blocks deep and put the same signed transaction in the second new block.
    await rpc('anvil_reorg', [3, [[raw, 1]]])
    await mine(2)
    const again = await scan()
    checkpoint = again.checkpoint
    assert.ok(again.reorg?.removedBlocks.some((b) => b.hash === first.blockHash))
    assert.equal(again.deposits.length, 1)
    assert.equal(again.deposits[0]?.txHash, hash)
    assert.notEqual(again.deposits[0]?.blockHash, first.blockHash)
    assert.equal(again.deposits[0]?.blockHash, (await fx.test.getTransactionReceipt({ hash })).blockHash)
  })

  it('refuses a reorg deeper than every recorded block', async () => {
    const short = { ...options, reorgWindow: 1 }
    let cp = (await scanEvmDeposits(fx.polygon.client, checkpoint, short)).checkpoint
    await mine(3)
    cp = (await scanEvmDeposits(fx.polygon.client, cp, short)).checkpoint
    assert.equal(cp.recentBlocks.length, 1)
    await rpc('anvil_reorg', [6, []])
    await assert.rejects(scanEvmDeposits(fx.polygon.client, cp, short), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_CONFLICT')
  })
})
