/**
 * `npm run bench [-- --json] [-- --only core,derive,polymarket,policy,rotation] [-- --quick]`: runs every
 * benchmark and prints its figures (each next to a peer measured in the same run, with the ratio),
 * or one JSON object `{ "figures": [{ "name", "value", "unit", "baseline"?, "ratio"? }] }`.
 */
import { formatFigures, type BenchFigure } from './figures.ts'

const args = process.argv.slice(2)
const json = args.includes('--json')
const quick = args.includes('--quick')
const onlyIndex = args.indexOf('--only')
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined
const log = (line: string) => process.stderr.write(`${line}\n`)

const suites: Record<string, () => Promise<BenchFigure[]>> = {
  core: async () => (await (await import('./core.ts')).runCoreBench({ rounds: quick ? 3 : 5, users: quick ? 5_000 : 100_000, log })).figures,
  derive: async () => (await import('./derive.ts')).runDeriveBench({ quick, cpuTime: true }),
  polymarket: async () => (await (await import('./polymarket.ts')).runPolymarketBench({ quick, log })).figures,
  policy: async () => (await import('./policy.ts')).runPolicyBench({ quick }),
  rotation: async () => (await (await import('./rotation.ts')).runRotationBench({ secrets: quick ? 100_000 : 1_000_000 })).figures,
}

const figures: BenchFigure[] = []
for (const [name, run] of Object.entries(suites)) {
  if (only !== undefined && !only.has(name)) continue
  log(`== ${name}`)
  const result = (await run()).map((f) => ({ ...f, name: `${name}: ${f.name}` }))
  figures.push(...result)
  if (!json) process.stdout.write(`${formatFigures(result)}\n`)
}
if (json) process.stdout.write(`${JSON.stringify({ figures })}\n`)
process.exit(0)
