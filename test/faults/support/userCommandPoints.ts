/**
 * Crash points of a CLI command that writes one user per process (`users create`, `users import`):
 * a calibration run measures how long it works after opening its store; then each point runs it
 * for a new telegram id and kills it a seeded fraction of that time after the store opened. The
 * user must then be whole or absent; an in-process re-run creates it or says it exists; the vault
 * check follows.
 */
import assert from 'node:assert/strict'
import type { Engine } from '../../support/engines.ts'
import type { AcknowledgedUser, AddressLedger } from './addressLedger.ts'
import { checkVault } from './checkVault.ts'
import { assertCompleted, runChild, SpanEstimate } from './faultChild.ts'
import { FaultTally } from './faultTally.ts'
import type { FaultVault } from './faultVault.ts'
import { parseJsonLines } from './jsonLines.ts'
import { seededFractions } from './seededPoints.ts'

export type UserCommandPoints = {
  readonly fv: FaultVault
  readonly engine: Engine
  readonly operation: string
  readonly points: number
  readonly ledger: AddressLedger
  /** The command's arguments (after the vault flags) for `telegramId` at point `i` (-1: calibration). */
  readonly command: (telegramId: number, i: number) => string[]
  /** What the point is, for messages. */
  readonly describe?: (i: number) => string
}

export async function userCommandPoints(options: UserCommandPoints): Promise<FaultTally> {
  const { fv, engine, ledger, command } = options
  const tally = new FaultTally(options.operation, engine)
  const calibration = await runChild({ args: [...fv.args, ...command(1, -1)] }, { kind: 'measure', engine })
  assertCompleted(calibration, `the calibration ${options.operation}`)
  for (const user of parseJsonLines<AcknowledgedUser>(calibration.stdout)) ledger.acknowledge(user)
  const span = new SpanEstimate(calibration)
  for (const [i, fraction] of seededFractions(`${options.operation}:${engine}`, options.points).entries()) {
    const telegramId = 100 + i
    await tally.point(`point ${i} (${options.describe?.(i) ?? ''}kill ${Math.round(fraction * span.ms)} ms after open)`, async () => {
      const args = command(telegramId, i)
      const run = await runChild({ args: [...fv.args, ...args] }, { kind: 'afterOpen', engine, delayMs: fraction * span.ms })
      if (run.hung) throw new Error(`${options.operation} hung`)
      span.observe(run)
      for (const user of parseJsonLines<AcknowledgedUser>(run.stdout)) ledger.acknowledge(user)
      const existed = (await fv.cli(['users', 'show', '--telegram-id', String(telegramId), '--json'])).code === 0
      const rerun = await fv.cli(args)
      assert.equal(rerun.code, 0, rerun.stderr)
      assert.equal(rerun.json.created, !existed, 'the re-run says whether it wrote the user')
      ledger.acknowledge(rerun.json)
      return [!run.killed ? 'completed' : existed ? 'resumed' : 'absent', await checkVault(fv.config, ledger)]
    })
  }
  return tally
}
