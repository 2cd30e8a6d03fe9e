/**
 * A real PostgreSQL server for tests. `scripts/test.sh` starts one cluster for the whole run and
 * exports COFFRE_TEST_PG_ADMIN_URL; a test file run on its own starts a private cluster. Either way
 * each caller gets a fresh database of its own.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './freePort.ts'

const runAsync = promisify(execFile)

export type PostgresServer = {
  readonly adminUrl: string
  /** The cluster's data directory (its postmaster.pid names the server process). */
  readonly dataDir: string
  /** Runs pg_ctl on this cluster as the postgres user, e.g. `pgCtl('stop', '-m', 'fast')`. */
  pgCtl(...args: string[]): void
  stop(): Promise<void>
  stopSync(): void
  /** Stops the server abruptly (immediate shutdown, as in a crash), keeping its data directory. */
  crash(): Promise<void>
  /** Starts a crashed server again on the same port (crash recovery runs first). */
  restart(): Promise<void>
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
  const pgCtlArgs = (...args: string[]) => ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', join(dir, 'data'), ...args]
  const startOptions = ['-l', join(dir, 'pg.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=300`]
  const startArgs = pgCtlArgs(...startOptions, 'start')
  const immediateStop = pgCtlArgs('-m', 'immediate', '-w', 'stop')
  const pgCtl = (...args: string[]) => void execFileSync('runuser', pgCtlArgs(...(args[0] === 'start' ? startOptions : ['-w']), ...args), { stdio: 'pipe' })
  execFileSync('runuser', startArgs, { stdio: 'pipe' })
  const stopSync = () => {
    spawnSync('runuser', immediateStop, { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir: join(dir, 'data'),
    pgCtl,
    stopSync,
    stop: async () => stopSync(),
    crash: async () => void (await runAsync('runuser', immediateStop)),
    restart: async () => void (await runAsync('runuser', startArgs)),
  }
}

let shared: Promise<PostgresServer> | undefined

/**
 * A fresh, empty database; the server is the run's shared one or a private one for this process,
 * or `server` (e.g. one a test crashes and restarts).
 */
export async function createTestDatabase(server?: PostgresServer): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = server?.adminUrl ?? process.env.COFFRE_TEST_PG_ADMIN_URL ?? (await (shared ??= startPrivate())).adminUrl
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

