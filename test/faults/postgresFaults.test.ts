/**
 * PostgreSQL faults under a real `coffre serve` with clients signing and creating users:
 * - its connections killed mid-transaction (`pg_terminate_backend` from an admin connection) at
 *   seeded moments: the requests caught fail with a typed 503, the next ones succeed, nothing
 *   acknowledged is lost, nothing is half-written;
 * - the server crashed (immediate shutdown) and restarted at seeded moments: while it is down
 *   requests and /readyz answer 503 (never a hang, never a 500); once it is back they succeed.
 * After every point: acknowledged signatures audited, acknowledged users export their addresses,
 * doctor and audit verify pass.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { startPostgresServer, type PostgresServer } from '../support/postgres.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault } from './support/faultVault.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { serviceUnderTest } from './support/serviceUnderTest.ts'
import { startSigningLoad, type LoadResult } from './support/signingLoad.ts'

const POINTS = pointsPerOperation()
const WINDOW_MS = 600

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
        try {
          const load = startSigningLoad(sut.server.url, sut.token, sut.users, { label: point, createEvery: 5, telegramBase: 200_000 + i * 10_000, backoffMs: 10, timeoutMs: 15_000 })
          let terminated: number
          try {
            await sleep(fraction * WINDOW_MS)
            terminated = (await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rowCount ?? 0
            await sleep(200)
          } finally {
            await load.stop()
          }
          const result = await load.done
          assert.deepEqual(untyped(result), [], 'requests caught by the termination fail with a typed 503')
          assert.equal(await sut.signOnce(point), 200, 'the service answers again after the termination')
          tally.record(point, terminated > 0 ? 'resumed' : 'absent', await sut.check(result))
        } catch (error) {
          tally.fail(point, error)
        }
      }
    } finally {
      await admin.end()
      await sut.close()
    }
    t.diagnostic(tally.publish())
    assert.deepEqual(tally.failures, [])
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
          try {
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
            tally.record(point, 'resumed', await sut.check(result))
          } catch (error) {
            tally.fail(point, error)
          }
        }
      } finally {
        await sut.close()
      }
      t.diagnostic(tally.publish())
      assert.deepEqual(tally.failures, [])
    })
  })
})
