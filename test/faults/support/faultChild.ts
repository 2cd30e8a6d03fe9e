/**
 * A real child process (the `coffre` CLI, or a bundled library script) killed with SIGKILL at a
 * chosen moment: a delay after it opened its store, a progress marker read from the database, or
 * never (run to completion). Every run has a watchdog, so a hang is a failure, not a stuck suite.
 * What the child wrote to stdout before dying is what its caller saw: the acknowledged results.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Engine } from '../../support/engines.ts'

export const COFFRE_BIN = fileURLToPath(new URL('../../../bin/coffre.js', import.meta.url))

export type KillPlan =
  | { readonly kind: 'never' }
  /** Never killed; measures when the store opened (calibration of afterOpen delays). */
  | { readonly kind: 'measure'; readonly engine: Engine }
  /** SIGKILL `delayMs` after the child opened its store (SQLite file or PostgreSQL socket). */
  | { readonly kind: 'afterOpen'; readonly engine: Engine; readonly delayMs: number }
  /**
   * SIGKILL `jitterMs` after `progress()` first reaches `target` — or, with `instead`, run that
   * fault (e.g. terminate its database connections) and let the child go on to its own end.
   */
  | { readonly kind: 'progress'; readonly progress: () => Promise<number>; readonly target: number; readonly jitterMs: number; readonly instead?: () => Promise<void> }

export type ChildRun = {
  readonly code: number | null
  /** Killed by the plan, or hit by its `instead` fault (false: it exited on its own first). */
  readonly killed: boolean
  /** Killed by the watchdog: it hung. */
  readonly hung: boolean
  readonly stdout: string
  readonly stderr: string
  /** Milliseconds from spawn to the store opening (afterOpen plans), and to exit. */
  readonly openedAtMs: number | null
  readonly elapsedMs: number
}

export type ChildCommand = {
  /** Script to run with node: the CLI by default. */
  readonly script?: string
  readonly args: readonly string[]
  readonly env?: Record<string, string | undefined>
  readonly stdin?: string
  readonly watchdogMs?: number
}

/** Whether process `pid` holds its store open: the SQLite file, or a socket beyond stdio (PostgreSQL). */
export function storeIsOpen(pid: number, engine: Engine): boolean {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return false
  }
  for (const fd of fds) {
    if (Number(fd) <= 2) continue // stdio are socket pairs too
    let target: string
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`)
    } catch {
      continue
    }
    if (engine === 'sqlite' ? target.endsWith('/coffre.db') : target.startsWith('socket:')) return true
  }
  return false
}

export async function runChild(command: ChildCommand, plan: KillPlan): Promise<ChildRun> {
  const env = { ...process.env, ...command.env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]
  const started = performance.now()
  const child = spawn(process.execPath, [command.script ?? COFFRE_BIN, ...command.args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  child.stdin.on('error', () => {})
  child.stdin.end(command.stdin ?? '')
  // 'close' waits for stdout to drain: everything the child wrote before it died is read.
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve(code))
  })
  let exited = false
  void closed.then(() => (exited = true), () => (exited = true))
  // Waits `ms`, or less if the child exits first.
  const pause = async (ms: number) => {
    const stop = new AbortController()
    await Promise.race([sleep(ms, undefined, { signal: stop.signal }).catch(() => {}), closed.catch(() => {})])
    stop.abort()
  }
  let hung = false
  const watchdog = setTimeout(() => {
    hung = true
    child.kill('SIGKILL')
  }, command.watchdogMs ?? 120_000)
  let killed = false
  let openedAtMs: number | null = null
  const kill = () => {
    if (!exited && child.exitCode === null && child.signalCode === null) {
      killed = child.kill('SIGKILL')
    }
  }
  try {
    if (plan.kind === 'afterOpen' || plan.kind === 'measure') {
      while (!exited && !storeIsOpen(child.pid!, plan.engine)) await sleep(1)
      if (!exited) {
        openedAtMs = performance.now() - started
        if (plan.kind === 'afterOpen') {
          await pause(plan.delayMs)
          kill()
        }
      }
    } else if (plan.kind === 'progress') {
      while (!exited && (await plan.progress().catch(() => -1)) < plan.target) await sleep(5)
      if (!exited) {
        await pause(plan.jitterMs)
        if (plan.instead === undefined) kill()
        else if (!exited) {
          await plan.instead()
          killed = true
        }
      }
    }
    const code = await closed
    return { code, killed, hung, stdout, stderr, openedAtMs, elapsedMs: performance.now() - started }
  } finally {
    clearTimeout(watchdog)
    if (!exited) child.kill('SIGKILL')
  }
}

/** A run that must have succeeded on its own (exit 0, not hung); the error says what it printed. */
export function assertCompleted(run: ChildRun, what: string): void {
  if (run.hung) throw new Error(`${what} hung (killed by the watchdog after ${Math.round(run.elapsedMs)} ms): ${run.stderr.slice(0, 400)}`)
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}: ${run.stderr.slice(0, 400) || '(no output)'}`)
}

/**
 * How long an operation runs from opening its store to exiting: the median of the runs that
 * completed (the calibration run, then every point whose kill came too late), so the seeded kill
 * delays follow the machine's load instead of one cold first run.
 */
export class SpanEstimate {
  readonly #spans: number[] = []

  constructor(calibration: ChildRun) {
    this.observe(calibration)
  }

  observe(run: ChildRun): void {
    if (!run.killed && !run.hung && run.code === 0 && run.openedAtMs !== null) this.#spans.push(run.elapsedMs - run.openedAtMs)
  }

  /** Milliseconds; the kill delay of a point is fraction × this. */
  get ms(): number {
    const sorted = [...this.#spans].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 0
  }
}

/** The error code a failed CLI run printed (`coffre: CODE: …`, or `{"error":{"code"}}` with --json). */
export function cliErrorCode(run: Pick<ChildRun, 'stderr'>): string | undefined {
  const line = run.stderr.trim().split('\n')[0] ?? ''
  try {
    return (JSON.parse(line) as { error?: { code?: string } }).error?.code
  } catch {
    return /^coffre: (COFFRE_[A-Z_]+):/.exec(line)?.[1]
  }
}
