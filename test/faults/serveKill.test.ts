/**
 * Crash matrix, `coffre serve` under signing load: HTTP clients sign messages (and now and then
 * create a user) while the server process is killed with SIGKILL at a seeded moment; then it is
 * started again. Every signature a client received is in the audit trail after the restart (an
 * acknowledged result is never lost), every user whose creation was acknowledged exports its
 * addresses, sampled signatures verify, doctor and audit verify pass. Both engines.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, test } from 'node:test'
import { ENGINES } from '../support/engines.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault } from './support/faultVault.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { serviceUnderTest } from './support/serviceUnderTest.ts'
import { startSigningLoad } from './support/signingLoad.ts'

const POINTS = pointsPerOperation()
const LOAD_MS = 1_000

for (const engine of ENGINES) {
  describe(`kill -9 of coffre serve under signing load, ${engine}`, () => {
    test(`${POINTS} seeded kills within ${LOAD_MS} ms of load; after each restart every acknowledged signature is audited`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('coffre serve under signing load', engine)
      const sut = await serviceUnderTest(await createFaultVault(engine), { start: false })
      try {
        for (const [i, fraction] of seededFractions(`serve-kill:${engine}`, POINTS).entries()) {
          const point = `point ${i} (kill ${Math.round(fraction * LOAD_MS)} ms into the load)`
          await tally.point(point, async () => {
            const server = await sut.start()
            const load = startSigningLoad(server.url, sut.token, sut.users, { label: point, createEvery: 7, telegramBase: 100_000 + i * 10_000, stopOnNetworkError: true })
            try {
              await sleep(fraction * LOAD_MS)
            } finally {
              await sut.kill()
            }
            const result = await load.stop()
            const worked = result.signed.size > 0 || result.created.length > 0
            return [worked ? 'resumed' : 'absent', await sut.check(result)]
          })
        }
        // One more restart: it serves at once.
        await sut.start()
        assert.equal(await sut.signOnce('after the last restart'), 200)
      } finally {
        await sut.close()
      }
      tally.finish(t)
    })
  })
}
