/**
 * Runs the shutdown steps of `coffre serve` with a deadline. Draining waits for in-flight requests
 * and jobs, and one stuck on a store that stopped answering would make it wait for ever; past the
 * deadline the process exits anyway with code 1. Nothing half-written survives that: every write
 * is one transaction, which the database rolls back when the connection goes.
 */
import type { Logger } from 'pino'

export const EXIT_DRAIN_TIMED_OUT = 1

export async function drainWithin(timeoutMs: number, logger: Logger, steps: () => Promise<void>, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
  const outcome = await Promise.race([steps().then(() => 'drained' as const), deadline])
  clearTimeout(timer)
  if (outcome === 'drained') return
  logger.error({ drainTimeoutSeconds: timeoutMs / 1000 }, 'drain timed out: exiting with requests or jobs still running')
  onTimeout()
  process.exit(EXIT_DRAIN_TIMED_OUT)
}
