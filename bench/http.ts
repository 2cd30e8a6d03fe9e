/**
 * HTTP load benchmark: one `coffre serve` process (real CLI, SQLite embedded default) on loopback,
 * driven by autocannon from this process. Measures create-user and sign-typed-data throughput with
 * p50/p99 latency and error counts; GET /healthz in the same run is the framework's ceiling on this
 * machine (the baseline of the ratios).
 *
 *   npx tsx bench/http.ts [--json] [--duration S] [--connections N]
 *
 * Targets on 2 cores: sign-typed-data ≥ 3,000 req/s, p99 < 20 ms, 0 errors.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { openVault } from '../src/vault/openVault.ts'
import type { BenchFigure } from './figures.ts'


const args = process.argv.slice(2)
const json = args.includes('--json')
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const duration = arg('--duration', 8)
const connections = arg('--connections', 32)
const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : process.stdout.write(`${line}\n`))

const typedData = {
  domain: { name: 'ClobAuthDomain', version: '1', chainId: 137 },
  types: { ClobAuth: [{ name: 'address', type: 'address' }, { name: 'timestamp', type: 'string' }, { name: 'nonce', type: 'uint256' }, { name: 'message', type: 'string' }] },
  primaryType: 'ClobAuth',
  message: { address: '0x0000000000000000000000000000000000000001', timestamp: '1700000000', nonce: '0', message: 'This message attests that I control the given wallet' },
}

async function startServer(dataDir: string, masterKey: string): Promise<{ url: string; stop(): Promise<void> }> {
  const bin = fileURLToPath(new URL('../bin/coffre.js', import.meta.url))
  const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', '--rate-limit', '0'], { env: { ...process.env, COFFRE_MASTER_KEY: masterKey }, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const match = /"listening":"(http:[^"]+)"/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)))
  })
  return { url, stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) }
}

async function run(name: string, url: string, request: autocannon.Request): Promise<{ rps: number; p50: number; p99: number; errors: number; total: number }> {
  const result = await autocannon({ url, connections, duration, requests: [request] })
  const errors = result.errors + result.timeouts + result.non2xx
  log(`${name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${errors} errors of ${result.requests.total}`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, total: result.requests.total }
}

const dir = mkdtempSync(join(tmpdir(), 'coffre-bench-http-'))
const masterKey = randomBytes(32).toString('base64')
try {
  const vault = await openVault({ store: { kind: 'sqlite', dataDir: dir }, rootKey: { kind: 'local', masterKey: new Uint8Array(Buffer.from(masterKey, 'base64')) }, mnemonicWords: 12 })
  const { token } = await vault.tokens.create({ name: 'bench', scopes: ['users:write', 'sign'], policy: 'allow-all' })
  const user = await vault.users.create({ telegramUserId: 1 })
  await vault.close()
  const server = await startServer(dir, masterKey)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${connections} connections, ${duration} s each`)
  try {
    await autocannon({ url: server.url, connections, duration: 2, requests: [{ method: 'POST', path: `/v1/users/${user.id}/sign/typed-data`, headers, body: JSON.stringify({ typedData }) }] })
    const health = await run('GET /healthz (framework ceiling)', server.url, { method: 'GET', path: '/healthz' })
    const sign = await run('POST sign/typed-data', server.url, { method: 'POST', path: `/v1/users/${user.id}/sign/typed-data`, headers, body: JSON.stringify({ typedData }) })
    let next = 1_000_000
    const create = await run('POST /v1/users (new telegram id each)', server.url, {
      method: 'POST',
      path: '/v1/users',
      headers,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ telegramUserId: (next += 1) }) }),
    })
    const figures: BenchFigure[] = [
      { name: 'GET /healthz throughput', value: Math.round(health.rps), unit: 'req/s' },
      { name: 'sign-typed-data throughput', value: Math.round(sign.rps), unit: 'req/s', baseline: 'GET /healthz throughput', ratio: Number((sign.rps / health.rps).toFixed(3)) },
      { name: 'sign-typed-data p50 latency', value: sign.p50, unit: 'ms' },
      { name: 'sign-typed-data p99 latency', value: sign.p99, unit: 'ms' },
      { name: 'sign-typed-data errors', value: sign.errors, unit: 'count' },
      { name: 'create-user throughput', value: Math.round(create.rps), unit: 'req/s', baseline: 'GET /healthz throughput', ratio: Number((create.rps / health.rps).toFixed(3)) },
      { name: 'create-user p50 latency', value: create.p50, unit: 'ms' },
      { name: 'create-user p99 latency', value: create.p99, unit: 'ms' },
      { name: 'create-user errors', value: create.errors, unit: 'count' },
      { name: 'load average (1 min) after', value: Number(loadavg()[0]!.toFixed(2)), unit: 'load' },
    ]
    if (json) process.stdout.write(`${JSON.stringify({ figures })}\n`)
    else log(`target sign-typed-data ≥ 3000 req/s, p99 < 20 ms, 0 errors: ${sign.rps >= 3000 && sign.p99 < 20 && sign.errors === 0 ? 'met' : 'missed'}`)
  } finally {
    await server.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
