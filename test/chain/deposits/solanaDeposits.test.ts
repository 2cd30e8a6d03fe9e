import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { getTransferSolInstruction } from '@solana-program/system'
import { generateKeyPairSigner, lamports, type Address, type KeyPairSigner } from '@solana/kit'
import { scanSolanaDeposits } from '../../../src/chain/deposits/scanSolanaDeposits.ts'
import type { SolanaAccountCheckpoint } from '../../../src/store/chain/solanaDeposit.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../solanaFixture.ts'

describe('Solana deposit scanning on litesvm', () => {
  let fx: SolanaFixture
  let alice: KeyPairSigner
  let bob: Address
  let carol: Address
  let owners: Address[]
  const checkpoints = new Map<string, SolanaAccountCheckpoint>()
  const scan = async (force?: Set<string>) => {
    const result = await scanSolanaDeposits(fx.solana, owners, checkpoints, force === undefined ? {} : { force })
    for (const [account, cp] of result.checkpoints) checkpoints.set(account, cp)
    return result
  }
  const callsOf = (method: string) => fx.rpcServer.calls.filter((c) => c === method).length
  const summary = (deposits: readonly { asset: string; owner: string; amount: bigint }[]) =>
    deposits.map((d) => `${d.owner === alice.address ? 'alice' : d.owner === bob ? 'bob' : 'carol'} ${d.asset === 'SOL' ? 'SOL' : 'USDC'} ${d.amount}`).sort()

  before(async () => {
    fx = await startSolanaFixture()
    alice = await fx.newFundedSigner(2n) // the airdrop is alice's first deposit
    bob = (await generateKeyPairSigner()).address
    carol = (await generateKeyPairSigner()).address
    owners = [alice.address, bob, carol]
  })
  after(async () => fx?.stop())

  it('reports every past deposit on the first step', async () => {
    const first = await scan()
    assert.deepEqual(summary(first.deposits), ['alice SOL 2000000000'])
    assert.equal(checkpoints.size, 6, 'every wallet and token account has a checkpoint')
  })

  it('reports SOL and SPL deposits once, not the owner\'s own sends nor failed transfers', async () => {
    const sender = await fx.newFundedSigner(5n)
    const solTx = await fx.transferSol(sender, alice.address, LAMPORTS_PER_SOL / 4n)
    await fx.mintUsdc(alice.address, 3_000_000n) // creates alice's token account and mints into it
    await fx.mintUsdc(sender.address, 10_000_000n)
    await fx.transferUsdc(sender, bob, 1_500_000n) // creates bob's token account in the same transaction
    await fx.transferSol(alice, carol, LAMPORTS_PER_SOL / 2n) // alice's own send: carol's deposit, not alice's
    // A transfer that fails on chain (more than the sender has) moves nothing.
    const poor = await fx.newFundedSigner(1n)
    await fx.send(poor, [getTransferSolInstruction({ source: poor, destination: bob, amount: lamports(50n * LAMPORTS_PER_SOL) })], { skipPreflight: true })
    const step = await scan()
    assert.deepEqual(summary(step.deposits), ['alice SOL 250000000', 'alice USDC 3000000', 'bob USDC 1500000', 'carol SOL 500000000'])
    const solDeposit = step.deposits.find((d) => d.asset === 'SOL' && d.owner === alice.address)
    assert.equal(solDeposit?.signature, solTx)
    assert.equal(step.deposits.find((d) => d.asset !== 'SOL')?.asset, fx.mint)
    assert.ok(step.deposits.every((d) => d.slot > 0n && d.blockTime !== null))
    const again = await scan()
    assert.deepEqual(again.deposits, [])
  })

  it('skips accounts whose balance did not move, and rescans a forced one', async () => {
    const before = callsOf('getSignaturesForAddress')
    const quiet = await scan()
    assert.deepEqual(quiet.deposits, [])
    assert.equal(callsOf('getSignaturesForAddress'), before, 'no signature listing when nothing moved')
    const sender = await fx.newFundedSigner(1n)
    await fx.transferSol(sender, carol, 1_000_000n)
    const moved = await scan()
    assert.deepEqual(summary(moved.deposits), ['carol SOL 1000000'])
    assert.equal(callsOf('getSignaturesForAddress'), before + 1, 'only carol\'s wallet was listed')
    const forced = await scan(new Set([bob]))
    assert.deepEqual(forced.deposits, [])
    assert.equal(callsOf('getSignaturesForAddress'), before + 3, 'bob\'s wallet and token account were listed')
  })
})
