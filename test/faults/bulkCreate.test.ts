/**
 * Crash matrix, bulk user creation: `kill -9` at seeded moments of (1) a provisioning loop of
 * `coffre users create` processes (each point kills one process somewhere between opening its store
 * and exiting) and (2) a library script calling `vault.users.ensureMany` (killed when a seeded
 * number of its users are committed). After every kill the user is whole or absent, a re-run
 * finishes it, every acknowledged user exports the addresses it was acknowledged with, and doctor
 * and audit verify pass. Both engines.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { openStore, type Store } from '../../src/store/openStore.ts'
import { ENGINES } from '../support/engines.ts'
import { AddressLedger, type AcknowledgedUser } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { bundledScript } from './support/childBundle.ts'
import { assertCompleted, runChild } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { parseJsonLines } from './support/jsonLines.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { userCommandPoints } from './support/userCommandPoints.ts'

const POINTS = pointsPerOperation()
const BLOCK = 30

for (const engine of ENGINES) {
  describe(`kill -9 during bulk user creation, ${engine}`, () => {
    let fv: FaultVault
    let probe: Store
    beforeEach(async () => {
      fv = await createFaultVault(engine)
      probe = await openStore(fv.config.store, { migrate: false })
    })
    afterEach(async () => {
      await probe?.close()
      await fv?.cleanup()
    })

    test(`coffre users create: ${POINTS} seeded kills between store open and exit; each user whole or absent, then created by a re-run`, async (t) => {
      t.diagnostic(seedBanner())
      const ledger = new AddressLedger()
      const tally = await userCommandPoints({ fv, engine, operation: 'users create (CLI)', points: POINTS, ledger, command: (id: number) => ['users', 'create', '--telegram-id', String(id), '--json'] })
      tally.finish(t)
      assert.equal(ledger.size, POINTS + 1)
    })

    test(`library ensureMany in a child process: ${POINTS} seeded kills by committed-user count; each next run resumes the killed block`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('ensureMany (library)', engine)
      const ledger = new AddressLedger()
      const script = await bundledScript('test/faults/support/provisionChild.ts')
      const block = (i: number) => Array.from({ length: BLOCK }, (_, k) => 10_000 + i * BLOCK + k)
      const provision = (telegramIds: number[]) => ({ script, args: [], stdin: JSON.stringify({ store: fv.config.store, keyFile: fv.keyFile, telegramIds, slice: 10, chunk: 5 }) })
      const committedIn = async (ids: number[]) =>
        Number((await probe.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('telegram_user_id', '>=', ids[0]!).where('telegram_user_id', '<=', ids.at(-1)!).executeTakeFirstOrThrow()).n)
      const fractions = seededFractions(`ensure-many:${engine}`, POINTS)
      for (const [i, fraction] of fractions.entries()) {
        const target = Math.floor(fraction * BLOCK)
        const point = `point ${i} (kill after ${target}/${BLOCK} users committed)`
        await tally.point(point, async () => {
          // The previous block first (its re-run: resume), then a new block, killed part-way.
          const run = await runChild(provision([...(i > 0 ? block(i - 1) : []), ...block(i)]), { kind: 'progress', progress: () => committedIn(block(i)), target, jitterMs: fraction * 20 })
          if (run.hung) throw new Error('the provisioning script hung')
          if (!run.killed) assertCompleted(run, 'the provisioning script')
          for (const user of parseJsonLines<AcknowledgedUser>(run.stdout)) ledger.acknowledge(user)
          const committed = await committedIn(block(i))
          return [!run.killed ? 'completed' : committed > 0 ? 'resumed' : 'absent', await checkVault(fv.config, ledger)]
        })
      }
      // Every block once more, to completion: a block whose own run was killed and whose re-run was
      // killed before reaching it (a kill at 0 committed users) is finished and acknowledged here.
      const last = await runChild(provision(Array.from({ length: POINTS }, (_, i) => block(i)).flat()), { kind: 'never' })
      assertCompleted(last, 'the final provisioning run')
      for (const user of parseJsonLines<AcknowledgedUser>(last.stdout)) ledger.acknowledge(user)
      const final = await checkVault(fv.config, ledger)
      tally.finish(t)
      assert.deepEqual([...final.lost, ...final.problems], [])
      assert.equal(ledger.size, POINTS * BLOCK, 'every block was provisioned to completion')
      assert.equal(final.users, POINTS * BLOCK)
    })
  })
}
