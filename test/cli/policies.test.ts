/**
 * `coffre policies …` and `coffre tokens create --policy/--expires-in` through the real CLI on an
 * embedded vault: a sign token without --policy is refused naming --policy allow-all; policies are
 * stored as versions; `policies test` prints the decision and exits 1 on a denial (a Solana
 * transfer as a message, a drain transaction under polymarket-trader).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { runCoffre } from '../support/cli.ts'
import { SOLANA_ATTACKER, SOLANA_USER, web3LegacyTransferMessage } from '../policy/solanaBuilders.ts'

describe('coffre policies and token terms', () => {
  let dir: string
  const coffre = (args: string[]) => runCoffre(['--data-dir', join(dir, 'vault'), ...args], { env: { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined } })
  const file = (name: string, value: unknown) => {
    const path = join(dir, name)
    writeFileSync(path, JSON.stringify(value))
    return path
  }
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-policies-cli-'))
    const init = await coffre(['init', '--json'])
    assert.equal(init.code, 0, init.stderr)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('tokens create: sign without --policy is refused naming --policy allow-all; with it, list shows policy, namespace and expiry', async () => {
    const refused = await coffre(['tokens', 'create', '--scopes', 'sign', '--name', 'bot', '--json'])
    assert.notEqual(refused.code, 0)
    assert.match(refused.stderr, /--policy allow-all/)
    const created = await coffre(['tokens', 'create', '--scopes', 'sign', '--name', 'bot', '--policy', 'polymarket-trader', '--namespace', 'desk-a', '--expires-in', '30d', '--json'])
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.json.policy, 'polymarket-trader')
    const list = await coffre(['tokens', 'list'])
    assert.match(list.stdout, /policy=polymarket-trader {2}namespace=desk-a {2}expires=20/)
    assert.ok(!list.stdout.includes(created.json.token))
  })

  test('policies create/list/show store versions; policies test prints the decision and exits 1 on a denial', async () => {
    const doc = file('greeter.json', { rules: [{ id: 'hello', action: 'allow', operation: 'sign.evm-message', conditions: [{ type: 'message', matches: '^hello' }] }] })
    assert.equal((await coffre(['policies', 'create', '--name', 'greeter', '--file', doc])).code, 0)
    const second = await coffre(['policies', 'create', '--name', 'greeter', '--file', doc, '--json'])
    assert.equal(second.json.version, 2)
    assert.match((await coffre(['policies', 'list'])).stdout, /greeter {2}v2/)
    assert.deepEqual((await coffre(['policies', 'show', 'greeter', '--json'])).json.versions, [1, 2])
    const bad = await coffre(['policies', 'create', '--name', 'bad', '--file', file('bad.json', { rules: [{ id: 'x', action: 'nope', operation: 'derive' }] })])
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /COFFRE_POLICY_INVALID|invalid policy/)

    const hello = await coffre(['policies', 'test', '--policy', 'greeter', '--request', file('hello.json', { operation: 'sign.evm-message', message: 'hello you' })])
    assert.equal(hello.code, 0, hello.stderr)
    assert.match(hello.stdout, /allow \(rule hello\)/)
    const solanaTransfer = file('sol.json', { operation: 'sign.solana-message', encoding: 'base64', message: Buffer.from(web3LegacyTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 10 ** 9)).toString('base64') })
    const sol = await coffre(['policies', 'test', '--policy', 'allow-all', '--request', solanaTransfer])
    assert.equal(sol.code, 1)
    assert.match(sol.stdout, /deny \(rule coffre:solana-message-is-transaction\)/)
    const drain = file('drain.json', { operation: 'sign.evm-transaction', transaction: { chainId: 137, to: '0x000000000000000000000000000000000000dEaD', value: '1000000000000000000000', nonce: 0, gas: 21000, maxFeePerGas: '1', maxPriorityFeePerGas: '1' } })
    const drained = await coffre(['policies', 'test', '--file', file('trader.json', { template: 'polymarket-trader' }), '--request', drain])
    assert.equal(drained.code, 1)
    assert.match(drained.stdout, /deny \(rule none\)/)
  })
})
