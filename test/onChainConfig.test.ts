import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseVaultConfig } from '../src/config.ts'
import { isCoffreError } from '../src/errors.ts'

const KEY = Buffer.alloc(32, 1).toString('base64')
const PUSD = '0x1111111111111111111111111111111111111111'
const refused = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_CONFIG' && pattern.test(e.message))

test('chain settings come from the environment, flags win, and contracts are overridable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-chaincfg-'))
  try {
    const env = { COFFRE_MASTER_KEY: KEY, COFFRE_POLYGON_RPC_URL: 'https://a.example, https://b.example', COFFRE_SOLANA_RPC_URL: 'https://sol.example', COFFRE_POLYGON_CONFIRMATIONS: '5' }
    const config = parseVaultConfig({}, env, dir)
    assert.deepEqual(config.chain?.polygon?.rpcUrls, ['https://a.example', 'https://b.example'])
    assert.equal(config.chain?.polygon?.chainId, 137)
    assert.equal(config.chain?.polygon?.confirmations, 5)
    assert.equal(config.chain?.polygon?.contracts.pUsd, '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB', 'built-in table')
    assert.deepEqual(config.chain?.solana?.rpcUrls, ['https://sol.example'])
    const file = join(dir, 'contracts.json')
    writeFileSync(file, JSON.stringify({ pUsd: PUSD }))
    const flagged = parseVaultConfig({ polygonRpcUrl: 'http://127.0.0.1:8545', polygonChainId: '80002', polygonContracts: file }, env, dir)
    assert.deepEqual(flagged.chain?.polygon?.rpcUrls, ['http://127.0.0.1:8545'])
    assert.equal(flagged.chain?.polygon?.chainId, 80002)
    assert.equal(flagged.chain?.polygon?.contracts.pUsd, PUSD)
    assert.equal(parseVaultConfig({}, { COFFRE_MASTER_KEY: KEY }, dir).chain, undefined, 'no URL, no chain')
    refused(() => parseVaultConfig({ polygonRpcUrl: 'ftp://x' }, env, dir), /http\(s\) URL/)
    refused(() => parseVaultConfig({ polygonRpcUrl: 'http://127.0.0.1:8545', polygonChainId: '31337' }, env, dir), /chain 31337 has no built-in contracts/)
    refused(() => parseVaultConfig({ polygonContracts: '{"nope":"0x1"}' }, env, dir), /unknown contract name nope/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('webhook URLs (several) need a secret of at least 16 bytes', () => {
  const env = { COFFRE_MASTER_KEY: KEY }
  refused(() => parseVaultConfig({ webhookUrl: ['https://bot.example/hook'] }, env), /need a secret/)
  refused(() => parseVaultConfig({ webhookUrl: ['https://bot.example/hook'] }, { ...env, COFFRE_WEBHOOK_SECRET: 'short' }), /at least 16 bytes/)
  const config = parseVaultConfig({ webhookUrl: ['https://a.example/h', 'https://b.example/h'] }, { ...env, COFFRE_WEBHOOK_SECRET: 'x'.repeat(32) })
  assert.deepEqual(config.webhooks?.map((w) => w.url), ['https://a.example/h', 'https://b.example/h'])
  assert.equal(Buffer.from(config.webhooks![0]!.secret).toString(), 'x'.repeat(32))
  assert.deepEqual(parseVaultConfig({}, { ...env, COFFRE_WEBHOOK_URL: 'https://c.example/h,https://d.example/h', COFFRE_WEBHOOK_SECRET: 'y'.repeat(16) }).webhooks?.length, 2)
})
