/**
 * Crash matrix, `coffre keys rotate-data`: the rotation process is killed once a seeded number of
 * secrets sits under the new data key. In the crashed state every user still exports the addresses
 * it was created with; `keys rotate-data --if-due` (which always finishes a pending rotation) then
 * completes it: every secret under the active key, no key left draining; doctor and audit verify
 * pass. Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openStore, type Store } from '../../src/store/openStore.ts'
import { ENGINES } from '../support/engines.ts'
import { AddressLedger } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { assertCompleted, runChild } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { activeDataKeyId, movedToNewKey, resumeRotation, secretsTotal } from './support/rotationProgress.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { seedUsers } from './support/seedUsers.ts'

const POINTS = pointsPerOperation()
const USERS = 40

for (const engine of ENGINES) {
  describe(`kill -9 during keys rotate-data, ${engine}`, () => {
    let fv: FaultVault
    let probe: Store
    const ledger = new AddressLedger()
    before(async () => {
      fv = await createFaultVault(engine)
      probe = await openStore(fv.config.store, { migrate: false })
      await seedUsers(fv.config, ledger, 500, USERS)
    })
    after(async () => {
      await probe?.close()
      await fv?.cleanup()
    })

    test(`${POINTS} seeded kills by secrets moved to the new key; each rotation resumed to completion`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('keys rotate-data', engine)
      for (const [i, fraction] of seededFractions(`rotate-data:${engine}`, POINTS).entries()) {
        const point = `point ${i} (kill at ${Math.round(fraction * 100)}% of the secrets moved)`
        await tally.point(point, async () => {
          const before = await activeDataKeyId(probe.db)
          const total = await secretsTotal(probe.db)
          const run = await runChild({ args: [...fv.args, 'keys', 'rotate-data', '--batch-size', '5', '--workers', '2', '--json'] }, { kind: 'progress', progress: movedToNewKey(probe.db, before), target: Math.floor(fraction * total), jitterMs: fraction * 20 })
          if (run.hung) throw new Error('keys rotate-data hung')
          if (!run.killed) assertCompleted(run, 'keys rotate-data')
          const crashed = await checkVault(fv.config, ledger, { doctor: false })
          assert.deepEqual([...crashed.lost, ...crashed.problems], [], 'in the crashed state')
          await resumeRotation(fv.args, probe.db, total)
          return [!run.killed ? 'completed' : 'resumed', await checkVault(fv.config, ledger)]
        })
      }
      tally.finish(t)
    })
  })
}
