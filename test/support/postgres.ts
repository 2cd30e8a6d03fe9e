/**
 * A real PostgreSQL server for tests. `scripts/test.sh` starts one cluster for the whole run and
 * exports COFFRE_TEST_PG_ADMIN_URL; a test file run on its own starts a private cluster. Either way
 * each caller gets a fresh database of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './freePort.ts'

export type PostgresServer = {
  readonly adminUrl: string
  /** The cluster's data directory (its postmaster.pid names the server process). */
  readonly dataDir: string
  /** Runs pg_ctl on this cluster as the postgres user, e.g. `pgCtl('stop', '-m', 'fast')`. */
  pgCtl(...args: string[]): void
  stop(): Promise<void>
  stopSync(): void
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
  if (versions.length === 0) throw new Error('PostgreSQL is not installed: run scripts/setup-system.sh')
  return `/usr/lib/postgresql/${versions[0]}/bin`
}

/** Starts a throwaway cluster (as the postgres user: initdb refuses root). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'coffre-pg-'))
  execFileSync('chown', ['postgres:postgres', dir])
  const asPostgres = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
  asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'])
  const port = await freePort()
  const pgCtl = (...args: string[]) => {
    const options = args[0] === 'start' ? ['-l', join(dir, 'pg.log'), '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=300`] : []
    asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-w', ...options, ...args])
  }
  pgCtl('start')
  const stopSync = () => {
    spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  }
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir: join(dir, 'data'), pgCtl, stopSync, stop: async () => stopSync() }
}

let shared: Promise<PostgresServer> | undefined

/** A fresh, empty database; the server is the run's shared one or a private one for this process. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.COFFRE_TEST_PG_ADMIN_URL ?? (await (shared ??= startPrivate())).adminUrl
  const name = `coffre_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = adminUrl.replace(/\/postgres$/, `/${name}`)
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

async function startPrivate(): Promise<PostgresServer> {
  const server = await startPostgresServer()
  // The private cluster must not outlive this test process.
  process.once('exit', () => server.stopSync())
  return server
}

