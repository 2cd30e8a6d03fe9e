/**
 * Every ```ts block of docs/clients.md runs as written (imports of coffre/client, coffre/viem and
 * coffre/solana pointed at src/client) against a real service, anvil, the stand-in CLOB and
 * LiteSVM, each block in its own Node process with the environment the page names.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, test } from 'node:test'
import { createTestClient, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { address } from '@solana/kit'
import { createCoffreClient } from '../../src/client/index.ts'
import { startStandinClob, type StandinClob } from '../polymarket/standinClob.ts'
import { startAnvil, type Anvil } from '../support/anvil.ts'
import { startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvmRpc.ts'
import { startLiveService, type LiveService } from './liveService.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const PAGE = readFileSync(join(ROOT, 'docs/clients.md'), 'utf8')
const BLOCKS = [...PAGE.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
const ENTRY = { 'coffre/client': 'src/client/index.ts', 'coffre/viem': 'src/client/viem.ts', 'coffre/solana': 'src/client/solana.ts' } as const

let service: LiveService
let anvil: Anvil
let clob: StandinClob
let solana: LiteSvmRpc
let dir: string

before(async () => {
  ;[service, anvil, clob, solana] = await Promise.all([startLiveService(), startAnvil(), startStandinClob({ chainId: 137 }), startLiteSvmRpc()])
  dir = mkdtempSync(join(ROOT, 'test/client/.doc-blocks-'))
  // The page's users, funded where their block spends: the blocks' create calls find them.
  const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
  const evm = await coffre.users.create({ telegramUserId: 43 })
  await createTestClient({ chain: foundry, mode: 'anvil', transport: http(anvil.url) }).setBalance({ address: evm.polygonAddress as `0x${string}`, value: parseEther('1') })
  solana.ledger.airdrop(address((await coffre.users.create({ telegramUserId: 45 })).solanaAddress), 1_000_000_000n)
})
after(async () => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  await Promise.all([service?.close(), anvil?.stop(), clob?.stop(), solana?.stop()])
})

test('docs/clients.md has a TypeScript example for the client, viem, the official Polymarket client and Solana', () => {
  assert.equal(BLOCKS.length, 4)
  for (const entry of Object.keys(ENTRY)) assert.ok(BLOCKS.some((b) => b.includes(`from '${entry}'`)), entry)
})

for (const [index, block] of BLOCKS.entries()) {
  test(`docs/clients.md block ${index + 1} runs`, async () => {
    let source = block
    for (const [specifier, file] of Object.entries(ENTRY)) source = source.replaceAll(`from '${specifier}'`, `from '${join(ROOT, file)}'`)
    const file = join(dir, `block-${index + 1}.mts`)
    writeFileSync(file, source)
    const env = { ...process.env, NODE_OPTIONS: '', COFFRE_URL: service.url, COFFRE_TOKEN: service.token, RPC_URL: anvil.url, CLOB_URL: clob.url, SOLANA_RPC_URL: solana.url }
    await run(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env, timeout: 120_000 }).catch((error: { stderr?: string }) => assert.fail(`block ${index + 1} failed:\n${block}\n${error.stderr ?? String(error)}`))
  })
}

test('what the blocks did happened', () => {
  assert.equal(clob.state.orders.size, 1, 'the official client posted one order the stand-in verified')
  assert.ok([...solana.ledger.entries.values()].some((e) => e.err === null), 'the Solana transfer landed')
})
