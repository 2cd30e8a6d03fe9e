/**
 * `coffre polymarket …` run as a real process. Pure commands equal @polymarket/clob-client-v2
 * and open no vault; vault commands (credentials, order post, orders list) run against the
 * stand-in CLOB via --clob-url.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import * as official from '@polymarket/clob-client-v2'
import { hashTypedData } from 'viem'
import { orderV2Types } from '../../src/polymarket/orderV2.ts'
import { runCoffre } from '../support/cli.ts'
import { officialWallet, withPinnedClock } from '../polymarket/officialClient.ts'
import { startStandinClob, type StandinClob } from '../polymarket/standinClob.ts'

const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318' as const
const ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'

describe('coffre polymarket (pure commands: no vault)', () => {
  let dir: string
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text, { mode: 0o600 })
    return path
  }
  const pure = (args: string[], stdin?: string) => runCoffre(['--data-dir', join(dir, 'no-vault'), 'polymarket', ...args, '--json'], { env: { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined }, ...(stdin === undefined ? {} : { stdin }) })
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-pm-cli-'))
  })
  after(() => {
    assert.equal(existsSync(join(dir, 'no-vault')), false, 'no pure command opened a vault')
    rmSync(dir, { recursive: true, force: true })
  })

  it('l1-headers equals the official createL1Headers (key from a file and from stdin)', async () => {
    const keyFile = file('key.txt', `${KEY}\n`)
    const ours = await pure(['l1-headers', '--private-key-file', keyFile, '--chain-id', '137', '--timestamp', '1700000000', '--nonce', '7'])
    assert.equal(ours.code, 0, ours.stderr)
    const theirs = await official.createL1Headers(officialWallet(KEY, 137) as never, 137, 7, 1700000000)
    assert.deepEqual(ours.json, { ...theirs })
    const viaStdin = await pure(['l1-headers', '--private-key-file', '-', '--chain-id', '137', '--timestamp', '1700000000', '--nonce', '7'], KEY.slice(2))
    assert.deepEqual(viaStdin.json, ours.json)
    assert.ok(!ours.stdout.includes(KEY.slice(2)))
  })

  it('l2-headers equals the official createL2Headers', async () => {
    const creds = { key: '019a0000-1111-2222-3333-444455556666', secret: Buffer.alloc(32, 9).toString('base64url') + '=', passphrase: 'ab'.repeat(32) }
    const body = '{"order":{"salt":1},"owner":"x"}'
    const ours = await pure(['l2-headers', '--credentials-file', file('creds.json', JSON.stringify(creds)), '--address', ADDRESS, '--method', 'POST', '--path', '/order', '--body-file', file('body.json', body), '--timestamp', '1700000001'])
    assert.equal(ours.code, 0, ours.stderr)
    const theirs = await official.createL2Headers(officialWallet(KEY, 137) as never, creds, { method: 'POST', requestPath: '/order', body }, 1700000001)
    assert.deepEqual(ours.json, { ...theirs })
  })

  it('order sign equals the official OrderBuilder\'s signature, and refuses other exchanges', async () => {
    const builder = new official.OrderBuilder(officialWallet(KEY, 137) as never, 137)
    const signed = (await withPinnedClock(1_710_000_000_000, 0.25, () =>
      builder.buildOrder({ tokenID: '71321045679252212594626385532706912750332728571942532289631379312455583992563', price: 0.56, size: 21.04, side: official.Side.BUY }, { tickSize: '0.01', negRisk: true }, 2),
    )) as unknown as Record<string, unknown>
    const struct = Object.fromEntries(Object.entries(signed).filter(([k]) => k !== 'signature').map(([k, v]) => [k, typeof v === 'number' || typeof v === 'bigint' ? String(v) : v]))
    const exchange = '0xe2222d279d744050d28e00520010520000310F59'
    const ours = await pure(['order', 'sign', '--private-key-file', file('key2.txt', KEY), '--chain-id', '137', '--exchange', exchange, '--order-file', file('order.json', JSON.stringify(struct))])
    assert.equal(ours.code, 0, ours.stderr)
    assert.equal(ours.json.signature, signed.signature)
    const message = Object.fromEntries(orderV2Types.Order.map(({ name, type }) => [name, type.startsWith('uint') && name !== 'side' && name !== 'signatureType' ? BigInt(String(struct[name])) : name === 'side' ? (struct.side === 'BUY' || struct.side === '0' ? 0 : 1) : name === 'signatureType' ? Number(struct[name]) : struct[name]]))
    assert.equal(ours.json.hash, hashTypedData({ domain: { name: 'Polymarket CTF Exchange', version: '2', chainId: 137, verifyingContract: exchange }, types: orderV2Types, primaryType: 'Order', message: message as never }))
    const refused = await pure(['order', 'sign', '--private-key-file', file('key3.txt', KEY), '--chain-id', '137', '--exchange', '0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E', '--order-file', file('order2.json', JSON.stringify(struct))])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /COFFRE_INVALID_INPUT/)
  })

  it('wallets gives the proxy and the Safe', async () => {
    const out = await pure(['wallets', '--address', ADDRESS.toLowerCase()])
    assert.equal(out.code, 0, out.stderr)
    assert.deepEqual(Object.keys(out.json), ['proxy', 'safe'])
    assert.match(out.json.proxy, /^0x[0-9a-fA-F]{40}$/)
    assert.notEqual(out.json.proxy, out.json.safe)
  })
})

describe('coffre polymarket (vault commands against the stand-in CLOB)', () => {
  let dir: string
  let clob: StandinClob
  const coffre = (args: string[]) => runCoffre(['--data-dir', join(dir, 'vault'), ...args, '--json'], { env: { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined } })
  const clobFlags = () => ['--clob-url', clob.url, '--chain-id', '137']
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-pm-cli-'))
    clob = await startStandinClob({ chainId: 137 })
    assert.equal((await coffre(['init'])).code, 0)
    assert.equal((await coffre(['users', 'create', '--telegram-id', '77'])).code, 0)
  })
  after(async () => {
    await clob.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('credentials create/list/rotate/revoke, order post, orders list', async () => {
    const created = await coffre(['polymarket', 'credentials', 'create', '--telegram-id', '77', ...clobFlags()])
    assert.equal(created.code, 0, created.stderr)
    assert.equal(created.json.state, 'active')
    const issued = clob.state.keys.get(created.json.apiKey)
    assert.ok(issued)
    assert.ok(!created.stdout.includes(issued.secret) && !created.stdout.includes(issued.passphrase))

    const listed = await coffre(['polymarket', 'credentials', 'list', '--telegram-id', '77', ...clobFlags()])
    assert.deepEqual(listed.json.clobApiKeys, [created.json.apiKey])

    const posted = await coffre(['polymarket', 'order', 'post', '--telegram-id', '77', '--token-id', '123', '--side', 'buy', '--price', '0.45', '--size', '10', '--tick-size', '0.01', ...clobFlags()])
    assert.equal(posted.code, 0, posted.stderr)
    assert.equal(posted.json.status, 'sent')
    assert.equal(clob.state.orders.has(posted.json.orderHash), true)

    const negRisk = await coffre(['polymarket', 'order', 'post', '--telegram-id', '77', '--token-id', '124', '--side', 'SELL', '--price', '0.6', '--size', '3', '--tick-size', '0.01', '--neg-risk', ...clobFlags()])
    assert.equal(negRisk.json.status, 'failed', 'the stand-in knows 124 is not neg-risk: signature against the wrong exchange')
    assert.match(negRisk.json.lastError, /^400 invalid signature/)

    const all = await coffre(['polymarket', 'orders', 'list', '--telegram-id', '77', ...clobFlags()])
    assert.deepEqual(all.json.map((o: { orderHash: string }) => o.orderHash), [posted.json.orderHash, negRisk.json.orderHash])
    const failed = await coffre(['polymarket', 'orders', 'list', '--status', 'failed', ...clobFlags()])
    assert.deepEqual(failed.json.map((o: { orderHash: string }) => o.orderHash), [negRisk.json.orderHash])

    const rotated = await coffre(['polymarket', 'credentials', 'rotate', '--telegram-id', '77', ...clobFlags()])
    assert.equal(rotated.code, 0, rotated.stderr)
    assert.deepEqual(rotated.json.revoked, [created.json.apiKey])
    const revoked = await coffre(['polymarket', 'credentials', 'revoke', '--telegram-id', '77', ...clobFlags()])
    assert.equal(revoked.json.state, 'revoked')
    assert.equal(clob.state.keys.size, 0)

    const bad = await coffre(['polymarket', 'order', 'post', '--telegram-id', '77', '--token-id', '1', '--side', 'HOLD', '--price', '0.5', '--size', '1', '--tick-size', '0.01', ...clobFlags()])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /COFFRE_INVALID_INPUT/)
  })
})
