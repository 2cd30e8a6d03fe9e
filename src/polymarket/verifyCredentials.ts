/**
 * Checks that API credentials work (GET /auth/api-keys answers), retrying 401s with backoff
 * for a window: a freshly created key can answer 401 for a few minutes. Used by rotation
 * before the old key is deleted.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { ClobClient, L2Auth } from './clobClient.ts'
import { upstreamFailure } from './upstreamError.ts'

export type VerifyOptions = { windowMs?: number; initialDelayMs?: number; maxDelayMs?: number }

export async function verifyCredentials(client: ClobClient, auth: L2Auth, options: VerifyOptions = {}): Promise<{ attempts: number }> {
  const windowMs = options.windowMs ?? 5 * 60_000
  const maxDelayMs = options.maxDelayMs ?? 15_000
  let delayMs = options.initialDelayMs ?? 1_000
  const deadline = Date.now() + windowMs
  for (let attempts = 1; ; attempts++) {
    try {
      await client.getApiKeys(auth)
      return { attempts }
    } catch (error) {
      if (upstreamFailure(error)?.status !== 401 || Date.now() + delayMs > deadline) throw error
      await sleep(delayMs)
      delayMs = Math.min(maxDelayMs, delayMs * 2)
    }
  }
}
