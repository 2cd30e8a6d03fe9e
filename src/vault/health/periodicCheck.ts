/**
 * A check run on a timer, one run at a time, whose latest result is read without waiting. A run
 * that has not finished within `timeoutMs` counts as unanswered from the moment it started; a run
 * that finishes late still updates the result, but was not timely. `unansweredForMs` says how long
 * the check has gone without a timely answer (0 while it answers on time, errors included).
 */
export type CheckOutcome<T> = { readonly ok: true; readonly value: T; readonly at: number } | { readonly ok: false; readonly error: unknown; readonly at: number }

export type PeriodicCheck<T> = {
  /** The latest finished run, or undefined before the first one finishes. */
  latest(): CheckOutcome<T> | undefined
  /** True when the latest run finished on time and no run is overdue now. */
  timely(): boolean
  unansweredForMs(): number
  /** Starts a run unless one is in flight; resolves when it finishes or `timeoutMs` passed. */
  runNow(): Promise<void>
  stop(): void
}

export type PeriodicCheckOptions = { readonly intervalMs: number; readonly timeoutMs: number; readonly now?: () => number }

export function startPeriodicCheck<T>(run: () => Promise<T>, options: PeriodicCheckOptions): PeriodicCheck<T> {
  const now = options.now ?? Date.now
  let latest: CheckOutcome<T> | undefined
  let lastWasTimely = true
  /** Start of the first run, since the last timely answer, that was not answered on time. */
  let unansweredSince: number | null = null
  let pendingSince: number | null = null
  let inFlight: Promise<void> | null = null
  let stopped = false

  const start = (): Promise<void> => {
    if (inFlight !== null) return inFlight
    const startedAt = now()
    pendingSince = startedAt
    inFlight = run()
      .then((value): CheckOutcome<T> => ({ ok: true, value, at: now() }), (error: unknown): CheckOutcome<T> => ({ ok: false, error, at: now() }))
      .then((outcome) => {
        latest = outcome
        lastWasTimely = outcome.at - startedAt <= options.timeoutMs
        unansweredSince = lastWasTimely ? null : (unansweredSince ?? startedAt)
        pendingSince = null
        inFlight = null
      })
    return inFlight
  }
  const overdue = () => pendingSince !== null && now() - pendingSince > options.timeoutMs
  const timer = setInterval(() => void start(), options.intervalMs)
  timer.unref()

  return {
    latest: () => latest,
    timely: () => lastWasTimely && !overdue(),
    unansweredForMs: () => (lastWasTimely && !overdue() ? 0 : now() - (unansweredSince ?? pendingSince ?? now())),
    async runNow() {
      if (stopped) return
      let timeout: NodeJS.Timeout | undefined
      await Promise.race([start(), new Promise<void>((resolve) => (timeout = setTimeout(resolve, options.timeoutMs).unref()))])
      clearTimeout(timeout)
    },
    stop() {
      stopped = true
      clearInterval(timer)
    },
  }
}
