/**
 * The `coffre` CLI entry: runs one command, prints a one-line error (a JSON error object with
 * --json) and exits non-zero on failure. Secrets are never read from argv.
 */
import { CommanderError } from 'commander'
import { isCoffreError } from '../errors.ts'
import { createProgram } from './program.ts'

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = createProgram({
    env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    flushStdout: () => new Promise<void>((resolve) => process.stdout.write('', () => resolve())),
  })
  program.exitOverride()
  const json = argv.includes('--json')
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0
      return 2
    }
    const code = isCoffreError(error) ? error.code : 'COFFRE_INTERNAL'
    const message = isCoffreError(error) ? error.message : 'internal error'
    if (json) process.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`)
    else process.stderr.write(`coffre: ${code}: ${message}\n`)
    if (!isCoffreError(error) && env.COFFRE_DEBUG === '1') process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`)
    return 1
  }
}

const exitCode = await runCli(process.argv.slice(2))
process.exitCode = exitCode
