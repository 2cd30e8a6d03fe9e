/**
 * Benchmark of seed 004's derived keys (src/derive): derivation throughput native vs pure JS, and the
 * membership check — the seed's linear re-derivation vs Coffre's DerivedKeyIndex — plus index build
 * time and memory. Peers are measured in the same run; figures are medians of several runs.
 *
 *   npx tsx bench/derive.ts [--json] [--quick] [--cpu-time]
 *
 * `ratio` is always "times better than `baseline`" (faster, or smaller): baseline/value for times and
 * sizes, value/baseline for rates. Targets: ≥ 20,000 derivations/s native; indexed lookup ≤ 5 µs.
 */
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { deriveChildKeyPair } from '../src/derive/deriveChildKeyPair.ts'
import { createDerivedKeyIndex } from '../src/derive/derivedKeyIndex.ts'
import { getDerivedPublicKeys } from '../src/derive/getDerivedPublicKeys.ts'
import { publicKeyBelongsToIdentity } from '../src/derive/publicKeyBelongsToIdentity.ts'
import { referenceChildKeyPair, referenceFind } from '../test/derive/referenceDerivation.ts'
import { median, type BenchFigure } from './figures.ts'

export type DeriveBenchOptions = {
  /** Fewer repetitions and no pure-JS scan at 10,000 keys (it takes ~5 s per check). */
  quick?: boolean
  /** Progress lines (e.g. console.error); silent by default. */
  log?: (line: string) => void
  /**
   * Time with the process's CPU clock (user + system) instead of the wall clock: on a shared,
   * oversubscribed machine wall time counts other processes' turns. Memory figures are unaffected.
   */
  cpuTime?: boolean
}

/** A clock in nanoseconds: the wall clock, or this process's CPU time (user + system). */
type Clock = () => bigint
const wallClock: Clock = () => process.hrtime.bigint()
const cpuClock: Clock = () => {
  const usage = process.cpuUsage()
  return BigInt(usage.user + usage.system) * 1000n
}

const PARENT = 'b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef'
const OUTSIDER = deriveChildKeyPair('42'.repeat(32), 7).publicKey

let sink = 0
/** Median over `runs` of the mean time (µs) of `op` repeated `iterations` times. */
function microseconds(now: Clock, runs: number, iterations: number, op: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(iterations, 50); i++) sink ^= op(i) === null ? 1 : 0 // warm-up
  const samples: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = now()
    for (let i = 0; i < iterations; i++) sink ^= op(i) === null ? 1 : 0
    samples.push(Number(now() - start) / 1000 / iterations)
  }
  return median(samples)
}

function collectGarbage(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc
  if (typeof exposed === 'function') return exposed
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** Median over `runs` of the retained heap + external bytes of what `build` returns. */
function retainedBytes(runs: number, build: () => unknown): number {
  const gc = collectGarbage()
  const samples: number[] = []
  const held: unknown[] = []
  for (let run = 0; run < runs; run++) {
    held.length = 0
    gc()
    gc()
    const before = process.memoryUsage()
    held.push(build())
    gc()
    gc()
    const after = process.memoryUsage()
    samples.push(after.heapUsed + after.external - (before.heapUsed + before.external))
  }
  sink ^= held.length
  return median(samples)
}

const better = (name: string, value: number, unit: string, baseline: BenchFigure, higherIsBetter = false): BenchFigure => ({
  name,
  value,
  unit,
  baseline: baseline.name,
  ratio: higherIsBetter ? value / baseline.value : baseline.value / value,
})

export async function runDeriveBench(options: DeriveBenchOptions = {}): Promise<BenchFigure[]> {
  const quick = options.quick === true
  const log = options.log ?? (() => undefined)
  const runs = quick ? 3 : 5
  const figures: BenchFigure[] = []
  const clock = options.cpuTime === true ? cpuClock : wallClock
  const now = clock
  figures.push({ name: 'timed with process CPU time instead of wall time', value: clock === cpuClock ? 1 : 0, unit: 'yes=1' })

  log('derivation throughput')
  const nobleDerive: BenchFigure = { name: 'derive child key pair, pure JS (@noble)', value: 1e6 / microseconds(clock, runs, quick ? 100 : 300, (i) => referenceChildKeyPair(PARENT, i)), unit: 'ops/s' }
  figures.push(nobleDerive, better('derive child key pair, native (node:crypto + libsecp256k1)', 1e6 / microseconds(clock, runs, quick ? 2_000 : 10_000, (i) => deriveChildKeyPair(PARENT, i)), 'ops/s', nobleDerive, true))

  for (const maxDerived of [100, 10_000]) {
    log(`membership, maxDerived ${maxDerived}`)
    const keys = getDerivedPublicKeys(PARENT, maxDerived) // [main, d0 …]
    const main = keys[0] as string
    const linearRuns = maxDerived > 1000 ? (quick ? 1 : 3) : runs
    const nativeName = `membership miss, linear native (seed's check), maxDerived ${maxDerived}`
    const nativeLinear = microseconds(clock, linearRuns, 1, () => publicKeyBelongsToIdentity(PARENT, OUTSIDER, maxDerived))
    const linearNative: BenchFigure = { name: nativeName, value: nativeLinear, unit: 'µs' }
    if (!(quick && maxDerived > 1000)) {
      const linearNoble: BenchFigure = {
        name: `membership miss, linear pure JS (@noble), maxDerived ${maxDerived}`,
        value: microseconds(clock, maxDerived > 1000 ? 1 : runs, 1, () => referenceFind(PARENT, OUTSIDER, maxDerived)),
        unit: 'µs',
      }
      figures.push(linearNoble, better(nativeName, nativeLinear, 'µs', linearNoble))
    } else figures.push(linearNative)
    const index = createDerivedKeyIndex({ maxKeys: 1_000_000 })
    const builds: number[] = []
    for (let run = 0; run < (maxDerived > 1000 ? 3 : runs); run++) {
      index.clear()
      const start = now()
      index.prepare(PARENT, maxDerived)
      builds.push(Number(now() - start) / 1e6)
    }
    figures.push({ name: `index build, ${maxDerived} keys (one-off)`, value: median(builds), unit: 'ms' })
    const members = keys.slice(1).sort((a, b) => (a.slice(10) < b.slice(10) ? -1 : 1)) // shuffled order
    const hit = (i: number) => index.findByMainPublicKey(main, members[i % members.length] as string, maxDerived)
    figures.push(better(`membership hit, indexed lookup by main key, maxDerived ${maxDerived}`, microseconds(clock, runs, 20_000, hit), 'µs', linearNative))
    figures.push(better(`membership miss, indexed lookup by main key, maxDerived ${maxDerived}`, microseconds(clock, runs, 20_000, () => index.findByMainPublicKey(main, OUTSIDER, maxDerived)), 'µs', linearNative))
    const viaPrivateKey = (i: number) => publicKeyBelongsToIdentity(PARENT, members[i % members.length] as string, maxDerived, index)
    figures.push(better(`membership hit, publicKeyBelongsToIdentity with index, maxDerived ${maxDerived}`, microseconds(clock, runs, 2_000, viaPrivateKey), 'µs', linearNative))
  }

  log('memory')
  const naive: BenchFigure = {
    name: 'memory per 10,000 keys, Map<hex string, index> (naive peer)',
    value: retainedBytes(runs, () => new Map(getDerivedPublicKeys(PARENT, 10_000).map((key, i) => [key, i]))),
    unit: 'bytes',
  }
  const indexed = retainedBytes(runs, () => {
    const index = createDerivedKeyIndex()
    index.prepare(PARENT, 10_000)
    return index
  })
  figures.push(naive, better('memory per 10,000 keys, DerivedKeyIndex', indexed, 'bytes', naive))
  figures.push({ name: 'machine load average (1 min) at the end of the run', value: loadavg()[0] ?? 0, unit: 'load' })
  return figures
}

function printTable(figures: BenchFigure[]): void {
  const format = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2))
  const width = Math.max(...figures.map((figure) => figure.name.length))
  for (const figure of figures) {
    const ratio = figure.ratio === undefined ? '' : `  ${figure.ratio.toFixed(1)}× better than: ${figure.baseline}`
    console.log(`${figure.name.padEnd(width)}  ${format(figure.value).padStart(12)} ${figure.unit.padEnd(6)}${ratio}`)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const json = process.argv.includes('--json')
  const figures = await runDeriveBench({
    quick: process.argv.includes('--quick'),
    cpuTime: process.argv.includes('--cpu-time'),
    log: (line) => console.error(`… ${line}`),
  })
  if (json) console.log(JSON.stringify({ figures }))
  else printTable(figures)
  if (sink === -1) console.log('') // keeps results observable
}
