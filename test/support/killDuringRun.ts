/**
 * kill -9 of a real `coffre` child process: start it, wait until it has committed work (`ready`)
 * plus a random extra delay, then SIGKILL it. Used by the kill-resume tests.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import './strictTransactions.ts'

const BIN = fileURLToPath(new URL('../../bin/coffre.js', import.meta.url))

/** Resolves once the child is dead; `killed` is false when it exited on its own before `ready`. */
export async function killDuringRun(args: readonly string[], env: Record<string, string>, ready: () => Promise<boolean>, options: { maxExtraMs?: number } = {}): Promise<{ killed: boolean; code: number | null }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const extra = Math.floor(Math.random() * (options.maxExtraMs ?? 400))
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) break
    if (await ready()) {
      await new Promise((r) => setTimeout(r, extra))
      break
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const killed = child.exitCode === null
  child.kill('SIGKILL')
  const code = await exited
  return { killed, code }
}
