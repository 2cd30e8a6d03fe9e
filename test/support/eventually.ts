/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. For
 * state that is, by contract, refreshed in the background (cached health results): the bound is
 * loose and only there so a broken refresh fails the test instead of hanging it.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, pollMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms${last === undefined ? '' : ` (last error: ${String(last)})`}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
