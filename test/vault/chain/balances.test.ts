/**
 * A user's balances on a real anvil (test pUSD / USDC.e contracts, Multicall3) and a real LiteSVM
 * behind the JSON-RPC adapter: through the vault service, GET /v1/users/{id}/balances and
 * `coffre chain balances --json` with the chain flags; a chain id mismatch refuses to connect.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { address } from '@solana/kit'
import { parseEther } from 'viem'
import { isCoffreError } from '../../../src/errors.ts'
import { compiledContract } from '../../chain/compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../../chain/polygonFixture.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../../chain/solanaFixture.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { createTestStore, type TestStore } from '../../support/engines.ts'
import { startHarness, type Harness } from '../../http/httpHarness.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { parseChainConfig } from '../../../src/chain/chainConfig.ts'

const tokenAbi = compiledContract('TestToken').abi

describe('balances on anvil and LiteSVM', () => {
  let polygon: PolygonFixture
  let solana: SolanaFixture
  let h: Harness
  let user: { id: string; telegramUserId: number; polygonAddress: string; solanaAddress: string }

  before(async () => {
    polygon = await startPolygonFixture({ confirmations: 1 })
    solana = await startSolanaFixture()
    h = await startHarness({}, { config: { chain: { polygon: polygon.config, solana: solana.config } } })
    user = (await h.test.vault.users.ensure({ telegramUserId: 4242, username: null })).user
    const owner = user.polygonAddress as `0x${string}`
    await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [owner, 12_500_000n] })
    await polygon.wallet.writeContract({ address: polygon.config.contracts.usdcE, abi: tokenAbi, functionName: 'mint', args: [owner, 3n] })
    await polygon.wallet.sendTransaction({ to: owner, value: parseEther('1.5') })
    solana.rpcServer.ledger.airdrop(address(user.solanaAddress), 2n * LAMPORTS_PER_SOL)
    await solana.mintUsdc(address(user.solanaAddress), 77_000_000n)
  })
  after(async () => {
    await h?.close()
    await solana?.stop()
    await polygon?.stop()
  })

  it('reads every balance with the block and slot it was read at (vault service)', async () => {
    const head = await polygon.test.getBlockNumber({ cacheTime: 0 })
    const balances = await h.test.vault.chain.balances({ telegramUserId: 4242 })
    assert.equal(balances.userId, user.id)
    assert.deepEqual({ ...balances.polygon, blockHash: undefined }, {
      chainId: polygon.anvil.chainId,
      address: user.polygonAddress,
      blockNumber: head.toString(),
      blockHash: undefined,
      pol: parseEther('1.5').toString(),
      pUsd: '12500000',
      usdcE: '3',
    })
    assert.equal(balances.polygon?.blockHash, (await polygon.test.getBlock({ blockNumber: head })).hash)
    assert.equal(balances.solana?.sol, (2n * LAMPORTS_PER_SOL).toString())
    assert.equal(balances.solana?.usdc, '77000000')
    assert.equal(balances.solana?.usdcMint, solana.mint)
    assert.match(balances.solana?.slot ?? '', /^[0-9]+$/)
  })

  it('GET /v1/users/{id}/balances returns the same figures', async () => {
    const reply = await h.app.inject({ method: 'GET', url: `/v1/users/${user.id}/balances`, headers: h.auth('users:read') })
    assert.equal(reply.statusCode, 200, reply.body)
    const body = reply.json()
    assert.equal(body.polygon.pUsd, '12500000')
    assert.equal(body.solana.usdc, '77000000')
    const missing = await h.app.inject({ method: 'GET', url: '/v1/users/01930000-0000-7000-8000-000000000000/balances', headers: h.auth('users:read') })
    assert.equal(missing.statusCode, 404)
  })

  it('coffre chain balances --json takes the chain from flags and environment', async () => {
    const store: TestStore = await createTestStore('sqlite')
    const env = { COFFRE_MASTER_KEY: randomBytes(32).toString('base64'), COFFRE_SOLANA_RPC_URL: solana.rpcServer.url }
    try {
      const base = ['--data-dir', store.dir]
      assert.equal((await coffreInProcess([...base, 'init', '--json'], env)).code, 0)
      const created = await coffreInProcess([...base, 'users', 'create', '--telegram-id', '7', '--json'], env)
      assert.equal(created.code, 0, created.stderr)
      await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [created.json.polygonAddress, 5n] })
      const chainFlags = [
        '--polygon-rpc-url', `http://127.0.0.1:1,${polygon.anvil.url}`,
        '--polygon-chain-id', String(polygon.anvil.chainId),
        '--polygon-contracts', JSON.stringify(polygon.config.contracts),
        '--solana-usdc-mint', solana.mint,
        '--solana-genesis-hash', solana.rpcServer.genesisHash,
      ]
      const read = await coffreInProcess([...base, ...chainFlags, 'chain', 'balances', '--telegram-id', '7', '--json'], env)
      assert.equal(read.code, 0, read.stderr)
      assert.equal(read.json.polygon.pUsd, '5', 'read past the unreachable first URL')
      assert.equal(read.json.solana.sol, '0')
      const check = await coffreInProcess([...base, ...chainFlags, 'chain', 'check', '--json'], env)
      assert.equal(check.code, 0, check.stderr)
      assert.deepEqual(check.json.polygon, { chainId: polygon.anvil.chainId, urls: 2, unreachable: ['http://127.0.0.1:1'] })
      const wrongChain = await coffreInProcess([...base, ...chainFlags.slice(0, 2), '--polygon-chain-id', '137', 'chain', 'check', '--json'], env)
      assert.equal(wrongChain.code, 1)
      assert.match(wrongChain.stderr, /COFFRE_INVALID_CONFIG: .*serves chain 31337, not the configured 137/)
      const noPolygon = await coffreInProcess([...base, 'chain', 'balances', '--telegram-id', '7', '--json'], env)
      assert.equal(noPolygon.code, 0)
      assert.equal(noPolygon.json.polygon, null, 'a chain that is not configured reads as null')
    } finally {
      await store.cleanup()
    }
  })

  it('connect() refuses an endpoint on another chain before anything is read', async () => {
    const store = await createTestStore('sqlite')
    const wrong = parseChainConfig({ polygon: { rpcUrls: polygon.anvil.url, chainId: 80002 } })
    const vault = await openVault({ store: store.config, rootKey: { kind: 'local', masterKey: new Uint8Array(randomBytes(32)) }, mnemonicWords: 12, chain: wrong })
    try {
      await assert.rejects(vault.chain.connect(), (error: unknown) => isCoffreError(error) && error.code === 'COFFRE_INVALID_CONFIG' && error.details?.reason === 'chain-mismatch')
      const created = (await vault.users.ensure({ telegramUserId: 9, username: null })).user
      await assert.rejects(vault.chain.balances({ id: created.id }), (error: unknown) => isCoffreError(error) && error.details?.reason === 'chain-mismatch')
    } finally {
      await vault.close()
      await store.cleanup()
    }
  })
})
