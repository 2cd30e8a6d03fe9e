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
import { assertCompleted, runChild, SpanEstimate } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { parseJsonLines } from './support/jsonLines.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'

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
      const tally = new FaultTally('users create (CLI)', engine)
      const ledger = new AddressLedger()
      const create = (id: number) => ({ args: [...fv.args, 'users', 'create', '--telegram-id', String(id), '--json'] })
      const calibration = await runChild(create(1), { kind: 'measure', engine })
      assertCompleted(calibration, 'the calibration run')
      ledger.acknowledge(JSON.parse(calibration.stdout))
      const span = new SpanEstimate(calibration)
      for (const [i, fraction] of seededFractions(`users-create-cli:${engine}`, POINTS).entries()) {
        const telegramId = 100 + i
        const point = `point ${i} (kill ${Math.round(fraction * span.ms)} ms after open)`
        try {
          const run = await runChild(create(telegramId), { kind: 'afterOpen', engine, delayMs: fraction * span.ms })
          if (run.hung) throw new Error('users create hung')
          span.observe(run)
          for (const user of parseJsonLines<AcknowledgedUser>(run.stdout)) ledger.acknowledge(user)
          const existed = (await fv.cli(['users', 'show', '--telegram-id', String(telegramId), '--json'])).code === 0
          const rerun = await fv.cli(['users', 'create', '--telegram-id', String(telegramId), '--json'])
          assert.equal(rerun.code, 0, rerun.stderr)
          assert.equal(rerun.json.created, !existed, 're-run says whether it created the user')
          ledger.acknowledge(rerun.json)
          tally.record(point, !run.killed ? 'completed' : existed ? 'resumed' : 'absent', await checkVault(fv.config, ledger))
        } catch (error) {
          tally.fail(point, error)
        }
      }
      t.diagnostic(tally.publish())
      assert.deepEqual(tally.failures, [])
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
        try {
          // The previous block first (its re-run: resume), then a new block, killed part-way.
          const run = await runChild(provision([...(i > 0 ? block(i - 1) : []), ...block(i)]), { kind: 'progress', progress: () => committedIn(block(i)), target, jitterMs: fraction * 20 })
          if (run.hung) throw new Error('the provisioning script hung')
          if (!run.killed) assertCompleted(run, 'the provisioning script')
          for (const user of parseJsonLines<AcknowledgedUser>(run.stdout)) ledger.acknowledge(user)
          const committed = await committedIn(block(i))
          tally.record(point, !run.killed ? 'completed' : committed > 0 ? 'resumed' : 'absent', await checkVault(fv.config, ledger))
        } catch (error) {
          tally.fail(point, error)
        }
      }
      const last = await runChild(provision(block(POINTS - 1)), { kind: 'never' })
      assertCompleted(last, 'the final provisioning run')
      for (const user of parseJsonLines<AcknowledgedUser>(last.stdout)) ledger.acknowledge(user)
      const final = await checkVault(fv.config, ledger)
      t.diagnostic(tally.publish())
      assert.deepEqual(tally.failures, [])
      assert.deepEqual([...final.lost, ...final.problems], [])
      assert.equal(ledger.size, POINTS * BLOCK, 'every block was provisioned to completion')
      assert.equal(final.users, POINTS * BLOCK)
    })
  })
}
