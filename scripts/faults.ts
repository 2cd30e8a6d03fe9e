/**
 * `npm run faults [-- --json] [-- --points N] [-- --seed S] [-- --only name,name]`: the crash and
 * fault matrix (test/faults/*.test.ts) at full size — 20 seeded kill points per operation and
 * engine unless --points says otherwise — on one PostgreSQL cluster started for the run. Prints the
 * seed, then a table: operation × engine, crash points tried, resumed, absent, completed before the
 * kill, secrets lost (the goal is 0), failed checks; or, with --json, one JSON object. Exits
 * non-zero when any test failed. `--only` picks test files by name (e.g. rotateData,serveKill).
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPostgresServer } from '../test/support/postgres.ts'
import type { ScenarioRecord, TallyRecord } from '../test/faults/support/faultTally.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const json = args.includes('--json')
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const points = Number(option('--points') ?? process.env.COFFRE_FAULTS_POINTS ?? 20)
const seed = Number(option('--seed') ?? process.env.COFFRE_FAULTS_SEED ?? randomInt(1, 2 ** 31 - 1))
const only = option('--only')?.split(',')
const log = (line: string) => process.stderr.write(`${line}\n`)
if (!Number.isSafeInteger(points) || points < 1) throw new Error('--points must be a positive integer')
if (!Number.isSafeInteger(seed)) throw new Error('--seed must be an integer')

const files = readdirSync(join(ROOT, 'test/faults'))
  .filter((f) => f.endsWith('.test.ts') && (only === undefined || only.some((name) => f.startsWith(name))))
  .sort()
  .map((f) => join('test/faults', f))
if (files.length === 0) throw new Error(`no fault test matches --only ${only?.join(',')}`)

const setup = spawnSync('bash', ['scripts/setup-system.sh'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
if (setup.status !== 0) throw new Error('scripts/setup-system.sh failed')
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
if (build.status !== 0) throw new Error('the CLI bundle did not build')

log(`faults seed ${seed} (replay: npm run faults -- --seed ${seed}), ${points} points per operation, ${files.length} files`)
const reportDir = mkdtempSync(join(tmpdir(), 'coffre-faults-'))
const report = join(reportDir, 'report.jsonl')
const postgres = await startPostgresServer()
process.once('SIGINT', () => {
  postgres.stopSync()
  process.exit(130)
})
let code: number
try {
  const started = performance.now()
  code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
      cwd: ROOT,
      env: { ...process.env, COFFRE_TEST_PG_ADMIN_URL: postgres.adminUrl, COFFRE_FAULTS_POINTS: String(points), COFFRE_FAULTS_SEED: String(seed), COFFRE_FAULTS_REPORT: report },
      // The test log goes to stderr so that --json leaves stdout to the result.
      stdio: ['ignore', process.stderr, process.stderr],
    })
    child.once('error', reject)
    child.once('exit', (status) => resolve(status ?? 1))
  })
  const lines: (TallyRecord | ScenarioRecord)[] = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []
  const records = lines.filter((r): r is TallyRecord => 'operation' in r)
  const scenarios = lines.filter((r): r is ScenarioRecord => 'scenario' in r).sort((a, b) => a.scenario.localeCompare(b.scenario) || a.engine.localeCompare(b.engine))
  records.sort((a, b) => a.operation.localeCompare(b.operation) || a.engine.localeCompare(b.engine))
  const elapsedSeconds = Math.round((performance.now() - started) / 1000)
  const totals = records.reduce((t, r) => ({ points: t.points + r.points, lost: t.lost + r.lost, failed: t.failed + r.failed }), { points: 0, lost: 0, failed: 0 })
  if (json) {
    process.stdout.write(`${JSON.stringify({ seed, pointsPerOperation: points, elapsedSeconds, testsPassed: code === 0, totals, operations: records, scenarios })}\n`)
  } else {
    const rows = records.map((r) => `| ${r.operation} | ${r.engine} | ${r.points} | ${r.resumed} | ${r.absent} | ${r.completed} | ${r.lost} | ${r.failed} |`)
    process.stdout.write(
      [
        `crash and fault matrix, seed ${seed}, ${points} points per operation, ${elapsedSeconds} s`,
        '',
        '| operation | engine | crash points | resumed | absent | finished before the kill | secrets lost | failed checks |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        `| **all** | | ${totals.points} | | | | ${totals.lost} | ${totals.failed} |`,
        '',
        '| fault scenario | engine | held |',
        '| --- | --- | --- |',
        ...scenarios.map((r) => `| ${r.scenario} | ${r.engine} | ${r.passed ? 'yes' : `NO: ${r.error ?? ''}`} |`),
        '',
        code === 0 ? 'every test passed' : 'SOME TESTS FAILED (see the log above)',
        '',
      ].join('\n'),
    )
  }
} finally {
  await postgres.stop()
  rmSync(reportDir, { recursive: true, force: true })
}
process.exitCode = code
