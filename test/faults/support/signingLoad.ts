/**
 * HTTP clients of a real `coffre serve`: a few concurrent loops signing messages for known users
 * and, now and then, creating a user. They keep what the server acknowledged (2xx replies: each
 * signature per user, each created user) and every other outcome by status and error code, so a
 * crash or fault test can hold the server to what it answered.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { AcknowledgedUser } from './addressLedger.ts'

export type LoadUser = { readonly id: string; readonly polygonAddress: string }

export type SignedMessage = { readonly userId: string; readonly address: string; readonly message: string; readonly signature: `0x${string}` }

export type LoadResult = {
  /** Signatures acknowledged (200) per user id. */
  readonly signed: Map<string, number>
  /** A few acknowledged signatures per run, to verify against the address. */
  readonly samples: SignedMessage[]
  /** Users whose creation was acknowledged (201/200). */
  readonly created: AcknowledgedUser[]
  /** Every non-2xx outcome: `status code` (e.g. `503 COFFRE_STORE_FAILED`) or `network` → count. */
  readonly failures: Map<string, number>
  /** Requests that took longer than `slowMs`. */
  readonly slow: number
}

export type LoadOptions = {
  readonly workers?: number
  /** Every n-th request of a worker creates a user (0: never). */
  readonly createEvery?: number
  /** First telegram id of created users (each run needs its own range). */
  readonly telegramBase?: number
  /** Stop a worker at its first network error (the server was killed). */
  readonly stopOnNetworkError?: boolean
  /** Per-request timeout; a request that times out counts as `timeout`. */
  readonly timeoutMs?: number
  readonly slowMs?: number
  /** Pause between a worker's requests after a failure (a client backing off). */
  readonly backoffMs?: number
  /** Label of this run, part of every signed message. */
  readonly label: string
}

export function startSigningLoad(url: string, token: string, users: readonly LoadUser[], options: LoadOptions): { stop(): Promise<LoadResult>; done: Promise<LoadResult> } {
  const result: LoadResult = { signed: new Map(), samples: [], created: [], failures: new Map(), slow: 0 }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const count = (key: string) => result.failures.set(key, (result.failures.get(key) ?? 0) + 1)
  let stopped = false
  let nextTelegram = options.telegramBase ?? 1_000_000
  let slow = 0

  const request = async (path: string, body: unknown): Promise<{ status: number; json: any } | 'network' | 'timeout'> => {
    const started = performance.now()
    try {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) })
      const json = await response.json().catch(() => null)
      if (performance.now() - started > (options.slowMs ?? Infinity)) slow += 1
      return { status: response.status, json }
    } catch (error) {
      return (error as Error).name === 'TimeoutError' ? 'timeout' : 'network'
    }
  }

  const worker = async (w: number) => {
    for (let n = 0; !stopped; n++) {
      const creating = options.createEvery !== undefined && options.createEvery > 0 && n % options.createEvery === options.createEvery - 1
      let outcome
      if (creating) {
        const telegramUserId = nextTelegram++
        outcome = await request('/v1/users', { telegramUserId })
        if (typeof outcome === 'object' && (outcome.status === 201 || outcome.status === 200)) {
          result.created.push({ telegramUserId, id: outcome.json.id, polygonAddress: outcome.json.polygonAddress, solanaAddress: outcome.json.solanaAddress })
          continue
        }
      } else {
        const user = users[(w + n) % users.length]!
        const message = `${options.label} worker ${w} request ${n}`
        outcome = await request(`/v1/users/${user.id}/sign/message`, { chain: 'polygon', message })
        if (typeof outcome === 'object' && outcome.status === 200) {
          result.signed.set(user.id, (result.signed.get(user.id) ?? 0) + 1)
          if (result.samples.length < 8) result.samples.push({ userId: user.id, address: user.polygonAddress, message, signature: outcome.json.signature })
          continue
        }
      }
      count(typeof outcome === 'string' ? outcome : `${outcome.status} ${outcome.json?.error?.code ?? ''}`.trim())
      if (outcome === 'network' && options.stopOnNetworkError === true) return
      if (options.backoffMs !== undefined) await sleep(options.backoffMs)
    }
  }

  const done = Promise.all(Array.from({ length: options.workers ?? 6 }, (_, w) => worker(w))).then(() => ({ ...result, slow }))
  return {
    done,
    async stop() {
      stopped = true
      return done
    },
  }
}
