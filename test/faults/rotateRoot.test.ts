/**
 * Crash matrix, `coffre keys rotate-root`: local → local (a new key file each point), and local ↔
 * pkcs11 (SoftHSM; the HSM key is generated on the token by the first run), each process killed at
 * a seeded moment between opening its store and exiting. Afterwards exactly one root key — the old
 * or the new — opens every data key (never both, never neither); a re-run finishes an absent
 * rotation; every user exports its addresses under the new root; doctor and audit verify pass.
 * Both engines.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test, type TestContext } from 'node:test'
import { openVault } from '../../src/vault/openVault.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { ENGINES, type Engine } from '../support/engines.ts'
import { startSoftHsm, type SoftHsm } from '../support/softhsm.ts'
import { AddressLedger } from './support/addressLedger.ts'
import { checkVault } from './support/checkVault.ts'
import { assertCompleted, runChild, SpanEstimate } from './support/faultChild.ts'
import { FaultTally } from './support/faultTally.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { pointsPerOperation, seedBanner, seededFractions } from './support/seededPoints.ts'
import { seedUsers } from './support/seedUsers.ts'

const POINTS = pointsPerOperation()

/** A root key as the CLI names it: to open the vault (flags, options) and as a rotation target (to). */
type Root = { readonly name: string; readonly flags: string[]; readonly options: Record<string, string>; readonly to: string[] }

const localRoot = (file: string): Root => ({ name: `local ${file.split('/').pop()}`, flags: ['--key-file', file], options: { keyFile: file }, to: ['--to', 'local', '--to-key-file', file] })

function hsmRoot(hsm: SoftHsm, keyLabel: string): Root {
  const options = { pkcs11Module: hsm.module, pkcs11Token: hsm.tokenLabel, pkcs11KeyLabel: keyLabel, pkcs11PinFile: hsm.pinFile }
  const flags = ['--pkcs11-module', hsm.module, '--pkcs11-token', hsm.tokenLabel, '--pkcs11-key-label', keyLabel, '--pkcs11-pin-file', hsm.pinFile]
  return { name: 'pkcs11', flags: ['--key-provider', 'pkcs11', ...flags], options: { keyProvider: 'pkcs11', ...options }, to: ['--to', 'pkcs11', ...flags.map((f) => f.replace(/^--pkcs11/, '--to-pkcs11'))] }
}

/** Whether `root` opens the vault and unwraps every live data key. */
async function opens(fv: FaultVault, root: Root): Promise<boolean> {
  let vault
  try {
    vault = await openVault(fv.configWith(root.options))
  } catch {
    return false
  }
  try {
    const report = await vault.doctor({ secrets: false, scheduler: false })
    return report.checks.find((c) => c.name === 'root-key')?.ok === true
  } finally {
    await vault.close()
  }
}

describe('kill -9 during keys rotate-root', () => {
  let hsm: SoftHsm
  before(async () => (hsm = await startSoftHsm()))
  after(async () => hsm?.stop())

  async function rotateRootPoints(t: TestContext, engine: Engine, variant: 'local' | 'pkcs11'): Promise<void> {
    t.diagnostic(seedBanner())
    const operation = variant === 'local' ? 'keys rotate-root local → local' : 'keys rotate-root local ↔ pkcs11'
    const tally = new FaultTally(operation, engine)
    const fv = await createFaultVault(engine)
    try {
      const ledger = new AddressLedger()
      await seedUsers(fv.config, ledger, 700, 8)
      // Several data keys (one active, the rest retired), so the rewrap has more than one row.
      const vault = await openVault(fv.config)
      try {
        for (let i = 0; i < 2; i++) await vault.keys.rotateData()
      } finally {
        await vault.close()
      }
      const hsmTarget = hsmRoot(hsm, `faults-root-${engine}`)
      let current = localRoot(fv.keyFile)
      let files = 0
      const nextTarget = () => (variant === 'local' || current.name === 'pkcs11' ? localRoot(join(fv.store.dir, `root-${files++}.key`)) : hsmTarget)
      const rotate = (from: Root, to: Root) => [...fv.storeArgs, ...from.flags, 'keys', 'rotate-root', ...to.to, '--json']
      const first = nextTarget()
      const calibration = await runChild({ args: rotate(current, first) }, { kind: 'measure', engine })
      assertCompleted(calibration, 'the calibration rotation')
      current = first
      const span = new SpanEstimate(calibration)
      for (const [i, fraction] of seededFractions(`rotate-root-${variant}:${engine}`, POINTS).entries()) {
        const target = nextTarget()
        const point = `point ${i} (${current.name} → ${target.name}, kill ${Math.round(fraction * span.ms)} ms after open)`
        await tally.point(point, async () => {
          await hsm.snapshot()
          const run = await runChild({ args: rotate(current, target) }, { kind: 'afterOpen', engine, delayMs: fraction * span.ms })
          if (run.hung) throw new Error('keys rotate-root hung')
          for (const file of await hsm.repairAfterKill()) t.diagnostic(`${point}: SoftHSM's own token file ${file} was left empty by the kill; restored (simulator storage, not Coffre state)`)
          span.observe(run)
          const [onOld, onNew] = [await opens(fv, current), await opens(fv, target)]
          assert.ok(onOld !== onNew, `exactly one root key opens the vault after the kill (old: ${onOld}, new: ${onNew})`)
          if (onOld) {
            const rerun = await coffreInProcess(rotate(current, target))
            assert.equal(rerun.code, 0, rerun.stderr)
            assert.equal(await opens(fv, current), false, 'after the re-run the old root key no longer opens the vault')
          }
          current = target
          return [!run.killed ? 'completed' : onNew ? 'resumed' : 'absent', await checkVault(fv.configWith(current.options), ledger)]
        })
      }
    } finally {
      await fv.cleanup()
    }
    tally.finish(t)
  }

  for (const engine of ENGINES) {
    test(`${engine}: local → local, ${POINTS} seeded kills between store open and exit`, (t) => rotateRootPoints(t, engine, 'local'))
    test(`${engine}: local ↔ pkcs11 (SoftHSM), ${POINTS} seeded kills between store open and exit`, (t) => rotateRootPoints(t, engine, 'pkcs11'))
  }
})
