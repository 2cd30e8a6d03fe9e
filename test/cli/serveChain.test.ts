/**
 * `coffre serve` as a real process with the chain flags: it refuses to start when an RPC URL
 * serves another chain; otherwise its watcher turns a real anvil transfer into a deposit event
 * that reaches a real receiver which fails on purpose, then accepts — signed, verified as a bot would.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { verifyWebhook } from '../../src/chain/webhooks/webhookSignature.ts'
import { compiledContract } from '../chain/compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../chain/polygonFixture.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { createTestStore, type TestStore } from '../support/engines.ts'
import { eventually } from '../support/eventually.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.ts'
import { startServe } from '../http/serveProcess.ts'

const tokenAbi = compiledContract('TestToken').abi

describe('coffre serve with --polygon-rpc-url and --webhook-url', () => {
  let polygon: PolygonFixture
  let store: TestStore
  let receiver: WebhookReceiver
  const secret = randomBytes(24).toString('hex')
  const env = { COFFRE_MASTER_KEY: randomBytes(32).toString('base64'), COFFRE_STRICT_TRANSACTIONS: undefined }
  let args: string[]

  before(async () => {
    polygon = await startPolygonFixture({ confirmations: 1 })
    store = await createTestStore('sqlite')
    receiver = await startWebhookReceiver((n) => (n === 1 ? 500 : 200))
    const secretFile = join(store.dir, 'webhook.secret')
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 })
    args = ['--data-dir', store.dir, '--polygon-rpc-url', polygon.anvil.url, '--polygon-chain-id', String(polygon.anvil.chainId), '--polygon-contracts', JSON.stringify(polygon.config.contracts), '--polygon-confirmations', '1', '--webhook-url', receiver.url, '--webhook-secret-file', secretFile]
    assert.equal((await coffreInProcess(['--data-dir', store.dir, 'init', '--json'], env)).code, 0)
  })
  after(async () => {
    await receiver?.stop()
    await store?.cleanup()
    await polygon?.stop()
  })

  it('refuses to start on an RPC URL of another chain', async () => {
    await assert.rejects(startServe(['--data-dir', store.dir, '--polygon-rpc-url', polygon.anvil.url, '--polygon-chain-id', '137'], env), /serves chain 31337, not the configured 137/)
  })

  it('a transfer on anvil reaches the bot as a signed deposit.confirmed webhook, after a refused first attempt', async () => {
    const created = await coffreInProcess(['--data-dir', store.dir, 'users', 'create', '--telegram-id', '12', '--json'], env)
    assert.equal(created.code, 0, created.stderr)
    const serve = await startServe([...args, '--chain-poll-interval', '1'], env)
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500)) // the watcher's first step sets its checkpoint
      await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [created.json.polygonAddress, 42_000_000n] })
      await polygon.test.mine({ blocks: 2 })
      const delivered = await eventually('a delivered deposit webhook', async () => {
        const ok = receiver.received.filter((r) => r.headers['coffre-event-type'] === 'deposit.confirmed')
        // The first POST (the deposit, refused) and its retry after the backoff (accepted).
        return ok.length >= 2 ? ok : undefined
      }, 60_000, 200)
      const body = JSON.parse(delivered.at(-1)!.body)
      assert.equal(body.data.amount, '42000000')
      assert.equal(body.data.to, created.json.polygonAddress)
      assert.equal(body.data.userId, created.json.id)
      for (const r of receiver.received) assert.equal(verifyWebhook({ secrets: [new TextEncoder().encode(secret)], headers: r.headers, body: r.body }).ok, true)
      assert.equal(new Set(delivered.map((r) => r.headers['coffre-event-id'])).size, 1, 'the retry carried the same event id')
    } finally {
      await serve.stop()
    }
    const listed = await coffreInProcess(['--data-dir', store.dir, 'webhooks', 'list', '--json'], env)
    assert.ok(listed.json.some((d: { type: string; state: string }) => d.type === 'deposit.confirmed' && d.state === 'delivered'), listed.stdout + listed.stderr)
  })
})
