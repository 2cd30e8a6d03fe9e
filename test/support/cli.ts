/**
 * Runs the real `coffre` CLI in a child process (no stdin unless given) and captures its output.
 * With `timeoutMs`, a process still running then is killed (SIGKILL) and reported with code -1 and
 * `timedOut: true`, so a hang fails the test instead of stalling the run.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import './strictTransactions.ts'

const BIN = fileURLToPath(new URL('../../bin/coffre.js', import.meta.url))

export type CliResult = { code: number; stdout: string; stderr: string; json: any; timedOut?: boolean }

export function runCoffre(args: readonly string[], options: { env?: Record<string, string | undefined>; stdin?: string | Buffer; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env }
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    let timedOut = false
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({ code: code ?? -1, stdout, stderr, json, ...(timedOut ? { timedOut } : {}) })
    })
    child.stdin.end(options.stdin ?? '')
  })
}
