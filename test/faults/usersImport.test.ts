/**
 * Crash matrix, `coffre users import`: one process per point imports a wallet the test made (a
 * mnemonic, or a Polygon key and a Solana key, alternately) and is killed at a seeded moment between
 * opening its store and exiting. The user is then whole or absent; a re-run imports it (or says it
 * is already present); it exports exactly the addresses its material derives (computed beforehand
 * with independent libraries); doctor and audit verify pass. Both engines.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { generateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { base58 } from '@scure/base'
import { Keypair } from '@solana/web3.js'
import { ENGINES } from '../support/engines.ts'
import { AddressLedger, addressesFromKeys, addressesFromMnemonic, type Addresses } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { assertCompleted, runChild, SpanEstimate } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { parseJsonLines } from './support/jsonLines.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'

const POINTS = pointsPerOperation()

/** Wallet material for point `i` written to files, the import flags naming them, and its addresses. */
function material(dir: string, i: number): { flags: string[]; expected: Addresses } {
  if (i % 2 === 0) {
    const mnemonic = generateMnemonic(wordlist, 128)
    const file = join(dir, `mnemonic-${i}.txt`)
    writeFileSync(file, mnemonic, { mode: 0o600 })
    return { flags: ['--mnemonic-file', file], expected: addressesFromMnemonic(mnemonic) }
  }
  const polygon = randomBytes(32).toString('hex')
  const solana = base58.encode(Keypair.fromSeed(randomBytes(32)).secretKey)
  const polygonFile = join(dir, `polygon-${i}.txt`)
  const solanaFile = join(dir, `solana-${i}.txt`)
  writeFileSync(polygonFile, polygon, { mode: 0o600 })
  writeFileSync(solanaFile, solana, { mode: 0o600 })
  return { flags: ['--polygon-key-file', polygonFile, '--solana-key-file', solanaFile], expected: addressesFromKeys(polygon, solana) }
}

for (const engine of ENGINES) {
  describe(`kill -9 during users import, ${engine}`, () => {
    let fv: FaultVault
    beforeEach(async () => (fv = await createFaultVault(engine)))
    afterEach(async () => fv?.cleanup())

    test(`coffre users import: ${POINTS} seeded kills between store open and exit; each user whole or absent, then imported by a re-run with its own addresses`, async (t) => {
      t.diagnostic(seedBanner())
      const tally = new FaultTally('users import (CLI)', engine)
      const ledger = new AddressLedger()
      const importArgs = (id: number, flags: string[]) => [...fv.args, 'users', 'import', '--telegram-id', String(id), ...flags, '--json']
      const first = material(fv.store.dir, 0)
      const calibration = await runChild({ args: importArgs(1, first.flags) }, { kind: 'measure', engine })
      assertCompleted(calibration, 'the calibration run')
      ledger.acknowledge({ telegramUserId: 1, ...first.expected })
      const span = new SpanEstimate(calibration)
      for (const [i, fraction] of seededFractions(`users-import-cli:${engine}`, POINTS).entries()) {
        const telegramId = 100 + i
        const point = `point ${i} (${i % 2 === 0 ? 'mnemonic' : 'keys'}, kill ${Math.round(fraction * span.ms)} ms after open)`
        try {
          const { flags, expected } = material(fv.store.dir, i)
          // What the operator knows before the import: the addresses its material derives.
          ledger.acknowledge({ telegramUserId: telegramId, ...expected })
          const run = await runChild({ args: importArgs(telegramId, flags) }, { kind: 'afterOpen', engine, delayMs: fraction * span.ms })
          if (run.hung) throw new Error('users import hung')
          span.observe(run)
          for (const user of parseJsonLines<{ telegramUserId: number; polygonAddress: string; solanaAddress: string }>(run.stdout)) ledger.acknowledge(user)
          const existed = (await fv.cli(['users', 'show', '--telegram-id', String(telegramId), '--json'])).code === 0
          const rerun = await fv.cli(importArgs(telegramId, flags).slice(fv.args.length))
          assert.equal(rerun.code, 0, rerun.stderr)
          assert.equal(rerun.json.created, !existed, 're-run says whether it imported the user')
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
  })
}
