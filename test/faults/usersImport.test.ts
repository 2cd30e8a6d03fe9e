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
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { pointsPerOperation, seedBanner } from './support/seededPoints.ts'
import { userCommandPoints } from './support/userCommandPoints.ts'

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
      const ledger = new AddressLedger()
      const command = (telegramId: number, i: number) => {
        const { flags, expected } = material(fv.store.dir, i)
        // What the operator knows before the import: the addresses its material derives.
        ledger.acknowledge({ telegramUserId: telegramId, ...expected })
        return ['users', 'import', '--telegram-id', String(telegramId), ...flags, '--json']
      }
      const tally = await userCommandPoints({ fv, engine, operation: 'users import (CLI)', points: POINTS, ledger, command, describe: (i) => `${i % 2 === 0 ? 'mnemonic' : 'keys'}, ` })
      tally.finish(t)
      assert.equal(ledger.size, POINTS + 1)
    })
  })
}
