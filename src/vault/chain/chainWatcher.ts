/**
 * The background loop `coffre serve` runs: every interval, one deposit-scan step (only in the
 * instance holding the job lock), then the due webhook deliveries and the due withdrawal work
 * (leased rows: every instance helps). A failing step is logged and retried on the next tick;
 * `stop()` waits for the step in flight.
 */
import type { WebhookPolicy } from '../../chain/webhooks/deliverWebhooks.ts'
import type { VaultContext } from '../context.ts'

export type ChainWatcherOptions = Readonly<{
  intervalMs?: number
  /** Webhook retry timing (tests shorten it). */
  webhookPolicy?: Partial<WebhookPolicy>
}>

export type ChainWatcher = Readonly<{ stop(): Promise<void>; /** Runs one tick now (after the one in flight). */ tick(): Promise<void> }>

export type WatcherSteps = Readonly<Record<string, (options: ChainWatcherOptions) => Promise<unknown>>>

export function startChainWatcher(ctx: VaultContext, steps: WatcherSteps, options: ChainWatcherOptions = {}): ChainWatcher {
  const intervalMs = options.intervalMs ?? 5_000
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()

  const runSteps = async (): Promise<void> => {
    for (const [name, step] of Object.entries(steps)) {
      if (stopped) return
      try {
        await step(options)
      } catch (error) {
        ctx.logger.warn({ step: name, code: (error as { code?: string }).code, message: error instanceof Error ? error.message : String(error) }, 'chain watcher step failed')
      }
    }
  }
  const tick = (): Promise<void> => {
    inFlight = inFlight.then(runSteps)
    return inFlight
  }
  const schedule = (): void => {
    if (stopped) return
    timer = setTimeout(() => void tick().finally(schedule), intervalMs)
    timer.unref()
  }
  void tick().finally(schedule)
  return {
    tick,
    async stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      await inFlight
    },
  }
}
