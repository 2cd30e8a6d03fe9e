import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { erc20Abi, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { readPolygonBalances } from '../../../src/chain/balances/polygonBalances.ts'
import { parseChainConfig } from '../../../src/chain/chainConfig.ts'
import { connectPolygon, createPolygonClient } from '../../../src/chain/rpc/evmClient.ts'
import { hasChainReason } from '../../../src/chain/chainErrors.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { startAnvil, type Anvil } from '../../support/anvil.ts'
import { freePort } from '../../support/freePort.ts'
import { compiledContract } from '../compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../polygonFixture.ts'

const tokenAbi = compiledContract('TestToken').abi

describe('Polygon RPC and balances on anvil', () => {
  let fx: PolygonFixture
  let otherChain: Anvil
  let deadUrl: string
  before(async () => {
    fx = await startPolygonFixture()
    otherChain = await startAnvil({ chainId: 1 })
    deadUrl = `http://127.0.0.1:${await freePort()}`
  })
  after(async () => {
    await fx?.stop()
    await otherChain?.stop()
  })

  const withUrls = (rpcUrls: string[]) => {
    const { proxyFactory: _none, ...contracts } = fx.config.contracts
    return parseChainConfig({ polygon: { rpcUrls, chainId: fx.config.chainId, contracts } }).polygon!
  }

  it('connects when every reachable URL serves the configured chain, listing the unreachable ones without their paths', async () => {
    const connected = await connectPolygon(withUrls([`${deadUrl}/v2/secret-api-key`, fx.anvil.url]))
    assert.deepEqual(connected.unreachable, [`${deadUrl}/…`])
    assert.equal(await connected.client.getChainId(), fx.anvil.chainId)
  })

  it('refuses at start a URL that serves another chain (COFFRE_INVALID_CONFIG, chain-mismatch)', async () => {
    await assert.rejects(connectPolygon(withUrls([fx.anvil.url, otherChain.url])), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_CONFIG' && hasChainReason(e, 'chain-mismatch') && /serves chain 1, not the configured 31337/.test(e.message))
  })

  it('fails with COFFRE_UPSTREAM_FAILED (rpc-failed) when no URL answers', async () => {
    await assert.rejects(connectPolygon(withUrls([deadUrl])), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_UPSTREAM_FAILED' && hasChainReason(e, 'rpc-failed'))
  })

  it('falls back past a dead URL and past a wrong-chain URL, never reading from the wrong chain', async () => {
    const probe = privateKeyToAccount(generatePrivateKey()).address
    await fx.test.setBalance({ address: probe, value: 7n })
    const { client } = createPolygonClient(withUrls([deadUrl, otherChain.url, fx.anvil.url]))
    assert.equal(await client.getBalance({ address: probe }), 7n)
    // The wrong-chain URL stays refused: a second read is still answered by the right chain.
    assert.equal(await client.getBalance({ address: probe }), 7n)
    const onlyWrong = createPolygonClient(withUrls([otherChain.url])).client
    await assert.rejects(onlyWrong.getBalance({ address: probe }), (e: unknown) => /serves chain 1/.test(String((e as Error).message) + String((e as { cause?: Error }).cause?.message)))
  })

  it('reads POL, pUSD and USDC.e of many addresses at one block through Multicall3', async () => {
    const [a, b, empty] = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()).address) as [`0x${string}`, `0x${string}`, `0x${string}`]
    const { pUsd, usdcE } = fx.config.contracts
    await fx.test.setBalance({ address: a, value: parseEther('1.5') })
    await fx.wallet.writeContract({ address: pUsd, abi: tokenAbi, functionName: 'mint', args: [a, 12_345_678n] })
    await fx.wallet.writeContract({ address: usdcE, abi: tokenAbi, functionName: 'mint', args: [b, 42n] })
    const first = await readPolygonBalances(fx.polygon, [a, b.toLowerCase(), empty])
    assert.equal(first.blockNumber, await fx.test.getBlockNumber({ cacheTime: 0 }))
    assert.equal(first.blockHash, (await fx.test.getBlock({ blockNumber: first.blockNumber })).hash)
    assert.deepEqual(first.balances.map((x) => [x.address, x.pol, x.pUsd, x.usdcE]), [
      [a, parseEther('1.5'), 12_345_678n, 0n],
      [b, 0n, 0n, 42n],
      [empty, 0n, 0n, 0n],
    ])
    // A later block moves pUSD; the next read reports it with the later block.
    const payer = privateKeyToAccount(generatePrivateKey())
    await fx.test.setBalance({ address: payer.address, value: parseEther('1') })
    await fx.wallet.writeContract({ address: pUsd, abi: tokenAbi, functionName: 'mint', args: [payer.address, 5n] })
    await fx.walletFor(payer).writeContract({ address: pUsd, abi: erc20Abi, functionName: 'transfer', args: [b, 5n] })
    const second = await readPolygonBalances(fx.polygon, [b])
    assert.ok(second.blockNumber > first.blockNumber)
    assert.equal(second.balances[0]?.pUsd, 5n)
  })

  it('reads hundreds of addresses in chunks pinned to one block', async () => {
    const many = Array.from({ length: 400 }, () => privateKeyToAccount(generatePrivateKey()).address)
    await fx.test.setBalance({ address: many[399]!, value: 99n })
    const result = await readPolygonBalances(fx.polygon, many)
    assert.equal(result.balances.length, 400)
    assert.equal(result.balances[399]?.pol, 99n)
    assert.equal(result.balances[0]?.pol, 0n)
  })

  it('refuses a non-address before any RPC call', async () => {
    await assert.rejects(readPolygonBalances(fx.polygon, ['0x1234']), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})
