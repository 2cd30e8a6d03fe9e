import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPairSigner } from '@solana/kit'
import { readSolanaBalances } from '../../../src/chain/balances/solanaBalances.ts'
import { parseChainConfig } from '../../../src/chain/chainConfig.ts'
import { connectSolana, createSolanaChain } from '../../../src/chain/rpc/solanaRpc.ts'
import { hasChainReason } from '../../../src/chain/chainErrors.ts'
import { isCoffreError } from '../../../src/errors.ts'

const mismatch = (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_CONFIG' && hasChainReason(e, 'chain-mismatch')
import { freePort } from '../../support/freePort.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../solanaFixture.ts'

describe('Solana RPC and balances on litesvm', () => {
  let fx: SolanaFixture
  let deadUrl: string
  before(async () => {
    fx = await startSolanaFixture()
    deadUrl = `http://127.0.0.1:${await freePort()}`
  })
  after(async () => fx?.stop())

  const withUrls = (rpcUrls: string[], genesisHash = fx.rpcServer.genesisHash) =>
    parseChainConfig({ solana: { rpcUrls, genesisHash, usdcMint: fx.mint } }).solana!

  it('connects and checks the genesis hash of every reachable URL', async () => {
    const connected = await connectSolana(withUrls([deadUrl, fx.rpcServer.url]))
    assert.equal(connected.unreachable.length, 1)
    await assert.rejects(connectSolana(withUrls([fx.rpcServer.url], '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d')), mismatch)
    await assert.rejects(connectSolana(withUrls([deadUrl])), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_UPSTREAM_FAILED' && hasChainReason(e, 'rpc-failed'))
  })

  it('falls back in order past a dead URL, and refuses a URL of another cluster for good', async () => {
    const { rpc } = createSolanaChain(withUrls([deadUrl, fx.rpcServer.url]))
    assert.equal(typeof (await rpc.getSlot().send()), 'bigint')
    const wrong = createSolanaChain(withUrls([fx.rpcServer.url], '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d'))
    await assert.rejects(wrong.rpc.getSlot().send(), mismatch)
  })

  it('reads SOL and USDC of several owners at one slot', async () => {
    const alice = await fx.newFundedSigner(3n)
    const bob = (await generateKeyPairSigner()).address
    const empty = (await generateKeyPairSigner()).address
    await fx.mintUsdc(alice.address, 2_500_000n)
    await fx.transferSol(alice, bob, LAMPORTS_PER_SOL)
    const result = await readSolanaBalances(fx.solana, [alice.address, bob, empty])
    assert.equal(result.slot, fx.rpcServer.ledger.slot)
    const [a, b, e] = result.balances
    assert.equal(a?.usdc, 2_500_000n)
    assert.ok(a!.sol < 2n * LAMPORTS_PER_SOL && a!.sol > LAMPORTS_PER_SOL, 'alice paid 1 SOL and a fee')
    assert.equal(a?.usdcAccount, await fx.ata(alice.address))
    assert.deepEqual([b?.sol, b?.usdc], [LAMPORTS_PER_SOL, 0n])
    assert.deepEqual([e?.sol, e?.usdc], [0n, 0n])
    await fx.transferUsdc(alice, bob, 500_000n)
    const later = await readSolanaBalances(fx.solana, [bob])
    assert.ok(later.slot > result.slot)
    assert.equal(later.balances[0]?.usdc, 500_000n)
  })

  it('ignores token accounts of another mint and reads more owners than one call holds', async () => {
    const owners = await Promise.all(Array.from({ length: 120 }, async () => (await generateKeyPairSigner()).address))
    await fx.transferSol(await fx.newFundedSigner(), owners[119]!, 2n * LAMPORTS_PER_SOL)
    const result = await readSolanaBalances({ ...fx.solana, config: { ...fx.config, usdcMint: 'So11111111111111111111111111111111111111112' } }, owners)
    assert.equal(result.balances.length, 120)
    assert.equal(result.balances[119]?.sol, 2n * LAMPORTS_PER_SOL)
    assert.ok(result.balances.every((b) => b.usdc === 0n))
    assert.ok(fx.rpcServer.calls.filter((c) => c === 'getMultipleAccounts').length >= 3)
  })

  it('refuses a malformed address before any call', async () => {
    await assert.rejects(readSolanaBalances(fx.solana, ['not-an-address']), (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})
