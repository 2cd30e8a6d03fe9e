/**
 * The outcome of every crash point of one operation on one engine: resumed (the crash left
 * committed work that a re-run finished), absent (nothing of it was committed), completed (the
 * operation finished before the kill landed), secrets lost (goal 0), and failed checks. Appended as one JSON line to COFFRE_FAULTS_REPORT when set (`npm run
 * faults` builds its table from them).
 */
import assert from 'node:assert/strict'
import { appendFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { FAULTS_SEED } from './seededPoints.ts'
import type { VaultCheck } from './checkVault.ts'

export type PointOutcome = 'resumed' | 'absent' | 'completed'

export type TallyRecord = {
  readonly operation: string
  readonly engine: string
  readonly seed: number
  readonly points: number
  readonly resumed: number
  readonly absent: number
  readonly completed: number
  readonly lost: number
  readonly failed: number
  readonly failures: readonly string[]
}

export class FaultTally {
  points = 0
  resumed = 0
  absent = 0
  completed = 0
  lost = 0
  readonly failures: string[] = []

  constructor(
    readonly operation: string,
    readonly engine: string,
  ) {}

  /** One crash point: how it ended and what the check after it found. */
  record(point: string, outcome: PointOutcome, check?: VaultCheck): void {
    this.points += 1
    this[outcome] += 1
    if (check === undefined) return
    this.lost += check.lost.length
    for (const line of [...check.lost, ...check.problems]) this.failures.push(`${point}: ${line}`)
  }

  /** Runs one crash point: `body` says how it ended and what the check found; a throw fails the point. */
  async point(point: string, body: () => Promise<readonly [PointOutcome, VaultCheck?]>): Promise<void> {
    try {
      const [outcome, check] = await body()
      this.record(point, outcome, check)
    } catch (error) {
      this.fail(point, error)
    }
  }

  /** Publishes the record (as a test diagnostic too) and fails the test if any point failed. */
  finish(t: { diagnostic(message: string): void }): void {
    t.diagnostic(this.publish())
    assert.deepEqual(this.failures, [], `${this.operation} on ${this.engine}`)
  }

  /** A crash point whose re-run or check could not complete. */
  fail(point: string, error: unknown): void {
    this.points += 1
    this.failures.push(`${point}: ${error instanceof Error ? error.message : String(error)}`)
  }

  toRecord(): TallyRecord {
    const { operation, engine, points, resumed, absent, completed, lost, failures } = this
    return { operation, engine, seed: FAULTS_SEED, points, resumed, absent, completed, lost, failed: failures.length, failures: failures.slice(0, 20) }
  }

  /** Writes the record to COFFRE_FAULTS_REPORT (if set) and returns a one-line summary. */
  publish(): string {
    const record = this.toRecord()
    const file = process.env.COFFRE_FAULTS_REPORT
    if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(record)}\n`)
    return `${record.operation} on ${record.engine}: ${record.points} points, ${record.resumed} resumed, ${record.absent} absent, ${record.completed} completed before the kill, ${record.lost} secrets lost, ${record.failed} failed checks`
  }
}

export type ScenarioRecord = { readonly scenario: string; readonly engine: string; readonly passed: boolean; readonly error?: string }

/** Runs a fault scenario (not a crash point: a full disk, Redis down) and reports whether it held. */
export async function scenario(name: string, engine: string, body: () => Promise<void>): Promise<void> {
  const file = process.env.COFFRE_FAULTS_REPORT
  const publish = (record: ScenarioRecord) => {
    if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(record)}\n`)
  }
  try {
    await body()
    publish({ scenario: name, engine, passed: true })
  } catch (error) {
    const actual = error !== null && typeof error === 'object' && 'actual' in error ? ` (got ${inspect(error.actual, { breakLength: Infinity })})` : ''
    publish({ scenario: name, engine, passed: false, error: `${error instanceof Error ? error.message.split('\n')[0]! : String(error)}${actual}` })
    throw error
  }
}
