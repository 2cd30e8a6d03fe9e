/**
 * End to end, on both engines: real transfers on anvil (pUSD stand-in, native) and LiteSVM (SOL,
 * SPL USDC) → the vault's deposit watcher (job lock, checkpoint) → each deposit stored once with
 * its event and the user's move to `funded` → webhooks POSTed to a real receiving HTTP server that
 * fails on purpose, then accepts, each delivery signed (verified as a bot would); a reorg that
 * removes a deposit is reported as deposit.reverted; `coffre webhooks list|replay` on the outbox.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startWebhookReceiver } from '../../support/webhookReceiver.ts'
import { address } from '@solana/kit'
import { parseEther } from 'viem'
import { verifyWebhook } from '../../../src/chain/webhooks/webhookSignature.ts'
import { compiledContract } from '../../chain/compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../../chain/polygonFixture.ts'
import { startSolanaFixture, type SolanaFixture } from '../../chain/solanaFixture.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import type { Vault } from '../../../src/vault/vault.ts'
import { buildApp } from '../../../src/http/buildApp.ts'

const tokenAbi = compiledContract('TestToken').abi
const startReceiver = startWebhookReceiver

for (const engine of ENGINES) {
  describe(`deposits → events → signed webhooks (${engine})`, () => {
    let polygon: PolygonFixture
    let solana: SolanaFixture
    let receiver: Awaited<ReturnType<typeof startReceiver>>
    let tv: TestVault
    let vault: Vault
    let user: { id: string; polygonAddress: `0x${string}`; solanaAddress: string }
    const secret = new Uint8Array(randomBytes(32))
    const policy = { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3, timeoutMs: 2_000 }

    before(async () => {
      polygon = await startPolygonFixture({ confirmations: 2 })
      solana = await startSolanaFixture()
      // Fails twice on purpose, then accepts.
      receiver = await startReceiver((n) => (n <= 2 ? 503 : 200))
      tv = await openTestVault(engine, { chain: { polygon: polygon.config, solana: solana.config }, webhooks: [{ url: receiver.url, secret }] })
      vault = tv.vault
      const created = (await vault.users.ensure({ telegramUserId: 77, username: 'depositor' })).user
      user = { id: created.id, polygonAddress: created.polygonAddress as `0x${string}`, solanaAddress: created.solanaAddress }
      assert.deepEqual((await vault.chain.deposits.scan()).ran, true, 'the first step sets the checkpoint')
    })
    after(async () => {
      await tv?.cleanup()
      await receiver?.stop()
      await solana?.stop()
      await polygon?.stop()
    })

    it('stores each confirmed deposit once, moves the user to funded and emits the events', async () => {
      assert.equal((await vault.chain.onboarding({ id: user.id })).stage, 'created')
      await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [user.polygonAddress, 25_000_000n] })
      await polygon.wallet.sendTransaction({ to: user.polygonAddress, value: parseEther('0.5') })
      const funder = await solana.newFundedSigner()
      await solana.transferSol(funder, address(user.solanaAddress), 1_500_000_000n)
      await solana.mintUsdc(address(user.solanaAddress), 9_000_000n)

      const unconfirmed = await vault.chain.deposits.scan()
      assert.equal(unconfirmed.polygon, 0, 'not before 2 confirmations')
      assert.equal(unconfirmed.solana, 2)
      await polygon.test.mine({ blocks: 2 })
      const confirmed = await vault.chain.deposits.scan()
      assert.equal(confirmed.polygon, 2)
      assert.deepEqual(await vault.chain.deposits.scan(), { ran: true, polygon: 0, solana: 0, reverted: 0 }, 'stored once: a rescan finds nothing new')

      const onboarding = await vault.chain.onboarding({ id: user.id })
      assert.equal(onboarding.stage, 'funded')
      assert.ok(onboarding.fundedAt !== null)
      const app = await buildApp({ vault })
      try {
        const token = await vault.tokens.create({ name: 'reader', scopes: ['users:read'] })
        const reply = await app.inject({ method: 'GET', url: `/v1/users/${user.id}`, headers: { authorization: `Bearer ${token.token}` } })
        assert.equal(reply.statusCode, 200, reply.body)
        assert.equal(reply.json().onboardingStage, 'funded', 'the stage is in the user JSON')
      } finally {
        await app.close()
      }
      const events = await vault.chain.webhooks.list({ limit: 1000 })
      const deposits = events.filter((e) => e.type === 'deposit.confirmed').map((e) => e.data as { asset: string; amount: string; userId: string; chain: string })
      assert.deepEqual(deposits.map((d) => [d.chain.split(':')[0], d.asset, d.amount, d.userId]).sort(), [
        ['polygon', polygon.config.contracts.pUsd, '25000000', user.id],
        ['polygon', 'native', parseEther('0.5').toString(), user.id],
        ['solana', 'SOL', '1500000000', user.id],
        ['solana', solana.mint, '9000000', user.id],
      ].sort())
      assert.deepEqual(events.filter((e) => e.type === 'onboarding.stage').map((e) => e.data), [{ userId: user.id, stage: 'funded' }], 'one stage event')
      assert.ok(events.every((e) => e.endpoint === receiver.url && e.state === 'pending'))
    })

    it('delivers through a receiver that fails twice, with a stable event id and a valid signature', async () => {
      const watcher = vault.chain.startWatcher({ intervalMs: 60_000, webhookPolicy: policy })
      try {
        for (let i = 0; i < 6 && (await vault.chain.webhooks.list({ state: 'pending' })).length > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 5))
          await watcher.tick()
        }
      } finally {
        await watcher.stop()
      }
      const all = await vault.chain.webhooks.list({ limit: 1000 })
      assert.ok(all.length >= 5)
      assert.ok(all.every((d) => d.state === 'delivered'), JSON.stringify(all.map((d) => [d.state, d.lastError])))
      const failedFirst = all.filter((d) => d.attempts > 1)
      assert.ok(failedFirst.length >= 1, 'the two refusals were retried')
      assert.equal(receiver.received.length, all.length + 2, 'two failed attempts, then one delivery per event')
      const ids = new Set(all.map((d) => d.eventId))
      for (const r of receiver.received) {
        const verdict = verifyWebhook({ secrets: [secret], headers: r.headers, body: r.body })
        assert.equal(verdict.ok, true)
        assert.ok(ids.has(String(r.headers['coffre-event-id'])))
        assert.equal(JSON.parse(r.body).id, r.headers['coffre-event-id'])
      }
      assert.equal(verifyWebhook({ secrets: [new Uint8Array(32)], headers: receiver.received[0]!.headers, body: receiver.received[0]!.body }).ok, false)
    })

    it('reports a deposit whose block a reorg removed as deposit.reverted', async () => {
      await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [user.polygonAddress, 4n] })
      await polygon.test.mine({ blocks: 2 })
      assert.equal((await vault.chain.deposits.scan()).polygon, 1)
      await polygon.test.request({ method: 'anvil_reorg', params: [4, []] } as never)
      await polygon.test.mine({ blocks: 2 })
      const report = await vault.chain.deposits.scan()
      assert.equal(report.reverted, 1)
      const reverted = (await vault.chain.webhooks.list({ limit: 1000 })).filter((d) => d.type === 'deposit.reverted')
      assert.deepEqual(reverted.map((d) => (d.data as { amount: string; userId: string }).amount), ['4'])
      // The reverted deposit does not undo the stage (the watcher may have moved it on to approved).
      assert.ok(['funded', 'approved'].includes((await vault.chain.onboarding({ id: user.id })).stage), 'a stage never goes back')
    })

    it('two instances scanning together store each deposit once', async () => {
      const second = await openVault(tv.config)
      try {
        await polygon.wallet.writeContract({ address: polygon.config.contracts.usdcE, abi: tokenAbi, functionName: 'mint', args: [user.polygonAddress, 11n] })
        await polygon.test.mine({ blocks: 2 })
        const reports = await Promise.allSettled([vault.chain.deposits.scan(), second.chain.deposits.scan(), vault.chain.deposits.scan()])
        const found = reports.flatMap((r) => (r.status === 'fulfilled' ? [r.value.polygon] : []))
        assert.equal(found.reduce((a, b) => a + b, 0), 1, JSON.stringify(reports))
        const events = (await vault.chain.webhooks.list({ limit: 1000 })).filter((d) => d.type === 'deposit.confirmed' && (d.data as { amount: string }).amount === '11')
        assert.equal(events.length, 1)
      } finally {
        await second.close()
      }
    })

    it('coffre webhooks list --state dead and replay send a dead event again, same id', async () => {
      const storeArgs = tv.store.engine === 'sqlite' ? ['--data-dir', tv.store.dir] : ['--database-url', (tv.store.config as { url: string }).url]
      const env = { COFFRE_MASTER_KEY: Buffer.from(tv.rootKey).toString('base64') }
      // An instance without that webhook URL configured any more: its due deliveries die at once.
      const undelivered = (await vault.chain.webhooks.list({ state: 'pending' })).length
      assert.ok(undelivered >= 2, 'the reorg and usdc events are pending')
      const orphan = await openVault({ ...tv.config, webhooks: [] })
      try {
        assert.equal((await orphan.chain.webhooks.deliverDue({ policy })).dead, undelivered)
      } finally {
        await orphan.close()
      }
      const dead = await coffreInProcess([...storeArgs, 'webhooks', 'list', '--state', 'dead', '--json'], env)
      assert.equal(dead.code, 0, dead.stderr)
      assert.equal(dead.json.length, undelivered)
      assert.match(dead.json[0].lastError, /no longer configured/)
      const one = dead.json[0].eventId as string
      const replay = await coffreInProcess([...storeArgs, 'webhooks', 'replay', '--event-id', one, '--json'], env)
      assert.equal(replay.code, 0, replay.stderr)
      assert.deepEqual(replay.json, { replayed: 1 })
      const bad = await coffreInProcess([...storeArgs, 'webhooks', 'replay', '--json'], env)
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /COFFRE_INVALID_INPUT/)
      const seen = receiver.received.length
      assert.equal((await vault.chain.webhooks.deliverDue({ policy })).delivered, 1)
      assert.equal(receiver.received.length, seen + 1)
      assert.equal(receiver.received.at(-1)?.headers['coffre-event-id'], one, 'the replay carries the same event id')
      assert.equal(verifyWebhook({ secrets: [secret], headers: receiver.received.at(-1)!.headers, body: receiver.received.at(-1)!.body }).ok, true)
      assert.equal((await vault.chain.webhooks.list({ state: 'dead' })).length, undelivered - 1)
    })
  })
}
