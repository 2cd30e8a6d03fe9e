/**
 * Runs the `coffre` command tree in this process (same commander program and handlers as the
 * binary, same `coffre: CODE: message` error line and exit code), for tests that would otherwise
 * pay a child process start per command. Real child processes stay for kill -9 and drills.
 */
import { CommanderError } from 'commander'
import { createProgram } from '../../src/cli/program.ts'
import { isCoffreError } from '../../src/errors.ts'
import { STRICT_TRANSACTIONS_ENV } from './strictTransactions.ts'

export type InProcessResult = { code: number; stdout: string; stderr: string; json: any }

export async function coffreInProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<InProcessResult> {
  let stdout = ''
  const previousExitCode = process.exitCode
  process.exitCode = undefined
  const program = createProgram({ env: { ...STRICT_TRANSACTIONS_ENV, ...env }, cwd: process.cwd(), stdout: (text) => (stdout += text) })
  program.exitOverride()
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} })
  let code = 0
  let stderr = ''
  try {
    await program.parseAsync([...args], { from: 'user' })
    code = typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    code = error instanceof CommanderError ? 2 : 1
    stderr = isCoffreError(error) ? `coffre: ${error.code}: ${error.message}\n` : `coffre: ${String(error)}\n`
  } finally {
    process.exitCode = previousExitCode
  }
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return { code, stdout, stderr, json }
}
