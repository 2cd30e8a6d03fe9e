/**
 * Crash matrix, `coffre import legacy`: a legacy PostgreSQL database built like the seed system's
 * (test/ops/legacyFixtures.ts) is imported into a fresh vault per point, and the import process is
 * killed once a seeded number of users is committed. In the crashed state every imported user
 * exports the addresses of its legacy row; a re-run finishes the import (every importable user
 * present exactly once with its legacy addresses); doctor and audit verify pass. Both engines.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { getAddress } from 'viem'
import { openStore } from '../../src/store/openStore.ts'
import { createLegacyDatabase } from '../ops/legacyImport/legacyFixtures.ts'
import { ENGINES } from '../support/engines.ts'
import { createTestDatabase } from '../support/postgres.ts'
import { AddressLedger, type AcknowledgedUser } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { runChild } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault } from './support/faultVault.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'

const POINTS = pointsPerOperation()
const BULK = 30

describe('kill -9 during import legacy', () => {
  let source: { url: string; drop(): Promise<void> }
  let keyDir: string
  let legacyKeyFile: string
  let expected: AcknowledgedUser[]
  before(async () => {
    source = await createTestDatabase()
    const legacyKey = new Uint8Array(randomBytes(32))
    const cases = await createLegacyDatabase(source.url, legacyKey, BULK)
    const importable = new Set(cases.filter((c) => c.expect === 'import').map((c) => c.telegramUserId))
    const client = new pg.Client({ connectionString: source.url })
    await client.connect()
    const { rows } = await client.query('select telegram_user_id, polygon_address, solana_address from users order by telegram_user_id')
    await client.end()
    expected = rows
      .filter((r) => importable.has(Number(r.telegram_user_id)))
      .map((r) => ({ telegramUserId: Number(r.telegram_user_id), polygonAddress: getAddress(r.polygon_address), solanaAddress: r.solana_address }))
    keyDir = mkdtempSync(join(tmpdir(), 'coffre-legacy-key-'))
    legacyKeyFile = join(keyDir, 'legacy.key')
    writeFileSync(legacyKeyFile, Buffer.from(legacyKey).toString('base64'), { mode: 0o600 })
  })
  after(async () => {
    await source?.drop()
    if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true })
  })

  for (const engine of ENGINES) {
    test(`${engine}: ${POINTS} seeded kills by imported-user count, each in a fresh vault; a re-run finishes every import`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('import legacy', engine)
      for (const [i, fraction] of seededFractions(`import-legacy:${engine}`, POINTS).entries()) {
        const target = Math.floor(fraction * expected.length)
        const point = `point ${i} (kill after ${target}/${expected.length} users imported)`
        await tally.point(point, async () => {
          const fv = await createFaultVault(engine)
          const probe = await openStore(fv.config.store, { migrate: false })
          try {
            const importArgs = ['import', 'legacy', '--from', source.url, '--legacy-key-file', legacyKeyFile, '--batch-size', '4', '--json']
            const users = async () => Number((await probe.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
            const run = await runChild({ args: [...fv.args, ...importArgs] }, { kind: 'progress', progress: users, target, jitterMs: fraction * 20 })
            if (run.hung) throw new Error('import legacy hung')
            const present = await users()
            // The crashed state: whoever is in the vault exports the addresses of its legacy row.
            const crashed = new AddressLedger()
            const presentIds = new Set((await probe.db.selectFrom('users').select('telegram_user_id').execute()).map((r) => Number(r.telegram_user_id)))
            for (const user of expected.filter((u) => presentIds.has(u.telegramUserId))) crashed.acknowledge(user)
            const crashedCheck = await checkVault(fv.config, crashed)
            assert.deepEqual(crashedCheck.lost, [], 'in the crashed state')
            const rerun = await fv.cli(importArgs)
            assert.equal(rerun.code, 0, rerun.stderr)
            assert.equal(rerun.json.imported + rerun.json.alreadyPresent, expected.length, JSON.stringify(rerun.json))
            assert.equal(rerun.json.alreadyPresent, present, 'the re-run skips exactly what the killed run committed')
            const ledger = new AddressLedger()
            for (const user of expected) ledger.acknowledge(user)
            const check = await checkVault(fv.config, ledger)
            assert.equal(check.users, expected.length)
            return [!run.killed ? 'completed' : present > 0 ? 'resumed' : 'absent', check]
          } finally {
            await probe.close()
            await fv.cleanup()
          }
        })
      }
      tally.finish(t)
    })
  }
})
