/**
 * Liveness and shutdown tell the truth (issue 9), with real `coffre serve` processes and real
 * stores: SQLite whose write lock another process holds, PostgreSQL stopped (pg_ctl) and frozen
 * (SIGSTOP on every server process). /readyz answers 503 within a bounded time, /healthz fails
 * once the store has gone unanswered longer than --store-stuck-after (not while it answers with an
 * error), and SIGTERM stops the process within --drain-timeout even with requests stuck on the
 * store. Time bounds are loose on purpose: they only tell "bounded" from "waits on the store".
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import Sqlite from 'better-sqlite3'
import pg from 'pg'
import { runCoffre } from '../support/cli.ts'
import { eventually } from '../support/eventually.ts'
import { startPostgresServer } from '../support/postgres.ts'
import { startServe, type ServeProcess } from './serveProcess.ts'

const DRAIN_SECONDS = 3
const STUCK_SECONDS = 3
/** A probe answers from the monitor's cache; a request that waited on the store would not. */
const PROBE_BOUND_MS = 5_000

async function status(server: ServeProcess, path: string): Promise<number> {
  const reply = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(PROBE_BOUND_MS) })
  await reply.arrayBuffer()
  return reply.status
}
const until = (server: ServeProcess, path: string, expected: number) =>
  eventually(`${path} answers ${expected}`, async () => ((await status(server, path)) === expected ? true : undefined), 30_000, 200)

/** Sends requests that need the store and are not awaited (they are stuck); returns them. */
function stuckRequests(server: ServeProcess, token: string, count: number): Promise<unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    fetch(`${server.url}/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ telegramUserId: 90_000 + i }) }).then(
      (r) => r.status,
      (e: unknown) => e,
    ),
  )
}

/** SIGTERM with stuck requests: the process is gone within the drain timeout (plus a loose margin). */
async function stopsWithinDrain(server: ServeProcess): Promise<void> {
  const started = Date.now()
  const code = await server.stop('SIGTERM')
  const elapsed = Date.now() - started
  assert.ok(elapsed < (DRAIN_SECONDS + 10) * 1000, `exited after ${elapsed} ms (drain timeout ${DRAIN_SECONDS} s)`)
  assert.equal(code, 1, `a drain that timed out exits 1:\n${server.output()}`)
  assert.match(server.output(), /drain timed out/)
}

const serveArgs = ['--store-stuck-after', String(STUCK_SECONDS), '--drain-timeout', String(DRAIN_SECONDS)]

describe('SQLite: another process holds the write lock', () => {
  test('/readyz 503, /healthz 503 after the stuck limit, recovery, then SIGTERM within the drain timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffre-live-'))
    let server: ServeProcess | undefined
    let locker: Sqlite.Database | undefined
    try {
      assert.equal((await runCoffre(['init', '--data-dir', dir, '--json'])).code, 0)
      const token = (await runCoffre(['tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:write', '--data-dir', dir, '--json'])).json.token as string
      server = await startServe(['--data-dir', dir, ...serveArgs])
      assert.equal(await status(server, '/readyz'), 200)
      locker = new Sqlite(join(dir, 'coffre.db'))
      locker.exec('BEGIN IMMEDIATE')
      await until(server, '/readyz', 503)
      await until(server, '/healthz', 503)
      assert.equal(await status(server, '/'), 200, 'the dashboard still answers')
      locker.exec('ROLLBACK')
      await until(server, '/readyz', 200)
      await until(server, '/healthz', 200)

      locker.exec('BEGIN IMMEDIATE')
      const requests = stuckRequests(server, token, 5)
      await until(server, '/readyz', 503)
      await stopsWithinDrain(server)
      for (const outcome of await Promise.all(requests)) assert.ok(outcome !== 201, 'no stuck request was answered as a success')
    } finally {
      locker?.close()
      if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('PostgreSQL: stopped, then frozen', () => {
  test('stopped: /readyz 503 but /healthz stays 200; frozen: both 503; SIGTERM within the drain timeout', async () => {
    const cluster = await startPostgresServer()
    const processes = () => {
      const postmaster = readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim()
      const children = execFileSync('pgrep', ['-P', postmaster], { encoding: 'utf8' }).split('\n').filter((l) => l.trim() !== '')
      return [postmaster, ...children]
    }
    let frozen: string[] = []
    let server: ServeProcess | undefined
    const dir = mkdtempSync(join(tmpdir(), 'coffre-live-pg-'))
    try {
      const admin = new pg.Client({ connectionString: cluster.adminUrl })
      await admin.connect()
      await admin.query('create database coffre_live')
      await admin.end()
      const url = cluster.adminUrl.replace(/\/postgres$/, '/coffre_live')
      const store = ['--database-url', url, '--key-file', join(dir, 'root.key'), '--data-dir', dir]
      assert.equal((await runCoffre(['init', ...store, '--json'])).code, 0)
      const token = (await runCoffre(['tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:write', ...store, '--json'])).json.token as string
      server = await startServe([...store, ...serveArgs])
      assert.equal(await status(server, '/readyz'), 200)

      cluster.pgCtl('stop', '-m', 'fast')
      await until(server, '/readyz', 503)
      const refused = await fetch(`${server.url}/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"telegramUserId":5}', signal: AbortSignal.timeout(30_000) })
      assert.equal(refused.status, 503, 'a request while the database is down is a 503, not a 500')
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'COFFRE_STORE_FAILED')
      // Refused connections are an answer: the instance is unready, not dead (a restart would not help).
      await new Promise((resolve) => setTimeout(resolve, (STUCK_SECONDS + 2) * 1000))
      assert.equal(await status(server, '/healthz'), 200)
      cluster.pgCtl('start')
      await until(server, '/readyz', 200)

      frozen = processes()
      for (const pid of frozen) process.kill(Number(pid), 'SIGSTOP')
      await until(server, '/readyz', 503)
      await until(server, '/healthz', 503)
      const requests = stuckRequests(server, token, 3)
      await new Promise((resolve) => setTimeout(resolve, 500))
      await stopsWithinDrain(server)
      void requests
    } finally {
      for (const pid of frozen) process.kill(Number(pid), 'SIGCONT')
      if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL')
      await cluster.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
