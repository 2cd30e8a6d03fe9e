/**
 * PostgreSQL faults under a real `coffre serve` with clients signing and creating users:
 * - its connections killed mid-transaction (`pg_terminate_backend` from an admin connection) at
 *   seeded moments: the requests caught fail with a typed 503, the next ones succeed, nothing
 *   acknowledged is lost, nothing is half-written; the same during `keys rotate-data` (a typed
 *   failure or a finished run, then the rotation resumes to completion);
 * - the server crashed (immediate shutdown) and restarted at seeded moments: while it is down
 *   requests and /readyz answer 503 (never a hang, never a 500); once it is back they succeed.
 * After every point: acknowledged signatures audited, acknowledged users export their addresses,
 * doctor and audit verify pass.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { openStore } from '../../src/store/openStore.ts'
import { startPostgresServer, type PostgresServer } from '../support/postgres.ts'
import { AddressLedger } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { cliErrorCode, runChild } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault } from './support/faultVault.ts'
import { activeDataKeyId, movedToNewKey, resumeRotation, secretsTotal } from './support/rotationProgress.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { serviceUnderTest } from './support/serviceUnderTest.ts'
import { startSigningLoad, type LoadResult } from './support/signingLoad.ts'
import { seedUsers } from './support/seedUsers.ts'

const POINTS = pointsPerOperation()
const WINDOW_MS = 600

/** Terminates every other connection to the admin connection's database; how many. */
async function terminateBackends(admin: pg.Client): Promise<number> {
  const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
  return rowCount ?? 0
}

/** /readyz polled (it may answer from a periodic check) until it says `status`, for up to 15 s; the last status. */
async function readyzUntil(url: string, status: number): Promise<number> {
  let last = 0
  for (const started = Date.now(); Date.now() - started < 15_000; await sleep(100)) {
    last = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(15_000) }).then((r) => r.status, () => 0)
    if (last === status) break
  }
  return last
}

/** Failures that are not a typed 503 (or a 429 from the rate limiter): a 500, a timeout, a hang. */
const untyped = (result: LoadResult) => [...result.failures].filter(([key]) => !/^(503|429) COFFRE_/.test(key)).map(([key, n]) => `${n} × ${key}`)

describe('PostgreSQL faults under coffre serve', () => {
  test(`pg_terminate_backend at ${POINTS} seeded moments of signing and user-creation load`, async (t) => {
    t.diagnostic(seedBanner())
    const tally = new FaultTally('pg_terminate_backend under serve', 'postgres')
    const sut = await serviceUnderTest(await createFaultVault('postgres'))
    const admin = new pg.Client({ connectionString: (sut.fv.config.store as { url: string }).url })
    await admin.connect()
    try {
      for (const [i, fraction] of seededFractions('pg-terminate', POINTS).entries()) {
        const point = `point ${i} (terminate ${Math.round(fraction * WINDOW_MS)} ms into the load)`
        await tally.point(point, async () => {
          const load = startSigningLoad(sut.server.url, sut.token, sut.users, { label: point, createEvery: 5, telegramBase: 200_000 + i * 10_000, backoffMs: 10, timeoutMs: 15_000 })
          let terminated: number
          try {
            await sleep(fraction * WINDOW_MS)
            terminated = await terminateBackends(admin)
            await sleep(200)
          } finally {
            await load.stop()
          }
          const result = await load.done
          assert.deepEqual(untyped(result), [], 'requests caught by the termination fail with a typed 503')
          assert.equal(await sut.signOnce(point), 200, 'the service answers again after the termination')
          return [terminated > 0 ? 'resumed' : 'absent', await sut.check(result)]
        })
      }
    } finally {
      await admin.end()
      await sut.close()
    }
    tally.finish(t)
  })

  test(`pg_terminate_backend at ${POINTS} seeded moments of keys rotate-data: a typed failure or a finished run, then a resumed rotation`, async (t) => {
    t.diagnostic(seedBanner())
    const tally = new FaultTally('pg_terminate_backend during keys rotate-data', 'postgres')
    const fv = await createFaultVault('postgres')
    const probe = await openStore(fv.config.store, { migrate: false })
    const admin = new pg.Client({ connectionString: (fv.config.store as { url: string }).url })
    await admin.connect()
    try {
      const ledger = new AddressLedger()
      await seedUsers(fv.config, ledger, 600, 30)
      const terminate = async () => void (await terminateBackends(admin))
      for (const [i, fraction] of seededFractions('pg-terminate-rotate-data', POINTS).entries()) {
        const point = `point ${i} (terminate at ${Math.round(fraction * 100)}% of the secrets moved)`
        await tally.point(point, async () => {
          const before = await activeDataKeyId(probe.db)
          const total = await secretsTotal(probe.db)
          const run = await runChild(
            { args: [...fv.args, 'keys', 'rotate-data', '--batch-size', '5', '--workers', '2', '--json'], watchdogMs: 60_000 },
            { kind: 'progress', progress: movedToNewKey(probe.db, before), target: Math.floor(fraction * total), jitterMs: fraction * 20, instead: terminate },
          )
          if (run.hung) throw new Error('keys rotate-data hung after its connections were terminated')
          if (run.code !== 0) assert.match(cliErrorCode(run) ?? '', /^COFFRE_(STORE|AUDIT)_FAILED$/, `a terminated connection is a typed failure, not: ${run.stderr.slice(0, 300)}`)
          await resumeRotation(fv.args, probe.db, total)
          return [!run.killed ? 'completed' : 'resumed', await checkVault(fv.config, ledger)]
        })
      }
    } finally {
      await admin.end()
      await probe.close()
      await fv.cleanup()
    }
    tally.finish(t)
  })

  describe('the PostgreSQL server restarted', () => {
    let server: PostgresServer
    before(async () => (server = await startPostgresServer()))
    after(async () => server?.stop())

    test(`${POINTS} crashes and restarts of the server at seeded moments of the load: 503 while it is down, service after`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('PostgreSQL restart under serve', 'postgres')
      const sut = await serviceUnderTest(await createFaultVault('postgres', { postgresServer: server }))
      try {
        for (const [i, fraction] of seededFractions('pg-restart', POINTS).entries()) {
          const point = `point ${i} (crash ${Math.round(fraction * WINDOW_MS)} ms into the load)`
          await tally.point(point, async () => {
            const load = startSigningLoad(sut.server.url, sut.token, sut.users, { label: point, createEvery: 5, telegramBase: 300_000 + i * 10_000, backoffMs: 20, timeoutMs: 15_000 })
            let readyWhileDown: number
            let signWhileDown: number
            let back: boolean
            try {
              await sleep(fraction * WINDOW_MS)
              await server.crash()
              readyWhileDown = await readyzUntil(sut.server.url, 503)
              signWhileDown = await sut.signOnce(point)
            } finally {
              try {
                await server.restart()
                back = await sut.waitForService()
              } finally {
                await load.stop()
              }
            }
            const result = await load.done
            assert.equal(readyWhileDown, 503, '/readyz while the database is down (within 15 s)')
            assert.equal(signWhileDown, 503, 'a signature while the database is down')
            assert.deepEqual(untyped(result), [], 'requests while the database is down fail with a typed 503')
            assert.ok(back, 'the service answers again once the database is back')
            return ['resumed', await sut.check(result)]
          })
        }
      } finally {
        await sut.close()
      }
      tally.finish(t)
    })
  })
})
