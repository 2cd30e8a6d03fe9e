/**
 * Where the crash matrix kills: a run-wide seed (printed; `COFFRE_FAULTS_SEED` replays it), one
 * reproducible stream of fractions in [0, 1) per operation (fast-check's seeded generator, without
 * its bias towards edge values), and how many points per operation (`COFFRE_FAULTS_POINTS`;
 * `npm run faults` runs the full matrix).
 */
import { createHash, randomInt } from 'node:crypto'
import fc from 'fast-check'

/** Points per operation in `npm test` unless COFFRE_FAULTS_POINTS says otherwise (`npm run faults`: 20). */
export const DEFAULT_POINTS = 5

const seedText = process.env.COFFRE_FAULTS_SEED
const parsedSeed = seedText === undefined || seedText === '' ? randomInt(1, 2 ** 31 - 1) : Number(seedText)
if (!Number.isSafeInteger(parsedSeed)) throw new Error(`COFFRE_FAULTS_SEED must be an integer, got ${seedText}`)

/** The run-wide seed. */
export const FAULTS_SEED: number = parsedSeed

/** Points per operation. */
export function pointsPerOperation(): number {
  const text = process.env.COFFRE_FAULTS_POINTS
  if (text === undefined || text === '') return DEFAULT_POINTS
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`COFFRE_FAULTS_POINTS must be a positive integer, got ${text}`)
  return n
}

/** The seed of one operation's stream: the run seed and the operation's name, so each replays alone. */
export function operationSeed(operation: string): number {
  return createHash('sha256').update(`${FAULTS_SEED}:${operation}`).digest().readUInt32BE(0) & 0x7fffffff
}

/** `count` fractions in [0, 1) for `operation`, the same for the same seed. */
export function seededFractions(operation: string, count: number): number[] {
  // Uniform integers scaled down (fc.double is uniform over bit patterns, not over [0, 1)).
  const SCALE = 2 ** 30
  return fc.sample(fc.noBias(fc.integer({ min: 0, max: SCALE - 1 })), { seed: operationSeed(operation), numRuns: count }).map((n) => n / SCALE)
}

/** The line every matrix file prints, so a failing run can be replayed. */
export const seedBanner = (): string => `faults seed ${FAULTS_SEED} (replay: COFFRE_FAULTS_SEED=${FAULTS_SEED}), ${pointsPerOperation()} points per operation`
