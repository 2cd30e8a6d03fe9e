/**
 * `coffre guardians …` and `coffre recovery …` through the CLI command tree: guardians registered
 * by their keys, a request, approvals by signatures made with keys only this test holds, the
 * waiting period (0 here, --recovery-waiting-seconds; the clock-driven cases are in
 * test/vault/accountRecovery), completion, and refusals with their codes.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'

const G = [0, 1, 2].map((i) => deriveChildKeyPair('4a'.repeat(32), i))
let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffre-recovery-cli-'))
})
after(() => rmSync(dir, { recursive: true, force: true }))

const coffre = (args: string[], waiting = '0') =>
  coffreInProcess(['--data-dir', join(dir, 'vault'), '--recovery-waiting-seconds', waiting, ...args, '--json'], { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined })

test('guardians add|list|remove and recovery request|approve|status|complete|cancel', async () => {
  assert.equal((await coffre(['init'])).code, 0)
  const user = (await coffre(['users', 'create', '--telegram-id', '501'])).json
  const single = await coffre(['guardians', 'add', '--id', user.id, '--public-key', G[0]!.publicKey])
  assert.match(single.stderr, /COFFRE_INVALID_INPUT/, 'one guardian is refused (t < n)')
  const added = await coffre(['guardians', 'add', '--id', user.id, ...G.flatMap((g) => ['--public-key', g.publicKey]), '--threshold', '2'])
  assert.equal(added.code, 0, added.stderr)
  assert.equal(added.json.sealedShares.length, 3)
  assert.deepEqual((await coffre(['guardians', 'list', '--telegram-id', '501'])).json, added.json)

  const request = await coffre(['recovery', 'request', '--id', user.id, '--new-telegram-id', '502'])
  assert.equal(request.code, 0, request.stderr)
  const { requestId, text } = request.json
  const sig = (i: number) => privateKeyToAccount(`0x${G[i]!.privateKey}`).signMessage({ message: text })
  const one = await coffre(['recovery', 'approve', '--id', user.id, '--request', requestId, '--signature', await sig(0)])
  assert.equal(one.json.state, 'pending')
  const early = await coffre(['recovery', 'complete', '--id', user.id, '--request', requestId])
  assert.match(early.stderr, /COFFRE_RECOVERY_PENDING/)
  const two = await coffre(['recovery', 'approve', '--id', user.id, '--request', requestId, '--signature', await sig(1)])
  assert.equal(two.json.state, 'approved')
  const done = await coffre(['recovery', 'complete', '--id', user.id, '--request', requestId])
  assert.equal(done.code, 0, done.stderr)
  assert.equal((await coffre(['recovery', 'status', '--id', user.id, '--request', requestId])).json.state, 'completed')
  assert.equal((await coffre(['users', 'show', '--telegram-id', '502'])).json.id, user.id)

  const next = await coffre(['recovery', 'request', '--id', user.id, '--new-telegram-id', '503'], '3600')
  const cancelled = await coffre(['recovery', 'cancel', '--id', user.id, '--request', next.json.requestId])
  assert.equal(cancelled.json.state, 'cancelled')
  const removed = await coffre(['guardians', 'remove', '--id', user.id])
  assert.equal(removed.json.cancelledRequests, 0)
  assert.match((await coffre(['guardians', 'list', '--id', user.id])).stderr, /COFFRE_NOT_FOUND/)
})
