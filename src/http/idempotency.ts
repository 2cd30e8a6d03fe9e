/**
 * `Idempotency-Key` on every POST (as Stripe, Privy, Coinbase CDP and Fireblocks do): scoped per
 * token, kept 24 h in the database. The same key and body replays the recorded reply without
 * redoing the work; the same key with another body is 422; a duplicate arriving while the first
 * runs waits for it (polling the shared row), then gets 409 if it is still running.
 *
 * Recorded replies are what the client already received: users and signatures, and for exports
 * the HPKE ciphertext sealed to the caller's own key — never a plaintext secret. 5xx replies are
 * not recorded, so a retry redoes the work. The stored request fingerprint is keyed
 * (requestFingerprint.ts): bodies can hold a mnemonic.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { CoffreError } from '../errors.ts'
import type { IdempotencyService } from '../vault/idempotency/idempotencyService.ts'
import { bearerText } from './guard.ts'
import { requestFingerprint } from './requestFingerprint.ts'

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim?: { tokenId: string; key: string }
  }
}

export type IdempotencyOptions = { readonly waitMs?: number; readonly pollMs?: number }

/** The preHandler every POST route lists after its guard. */
export function createIdempotency(records: IdempotencyService, options: IdempotencyOptions = {}): preHandlerAsyncHookHandler {
  const waitMs = options.waitMs ?? 10_000
  const pollMs = options.pollMs ?? 20
  return async function idempotent(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = request.headers['idempotency-key']
    if (key === undefined) return
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) throw new CoffreError('COFFRE_INVALID_INPUT', 'Idempotency-Key must be 1 to 255 visible ASCII characters')
    const tokenId = request.apiToken?.id
    const secret = bearerText(request)
    if (tokenId === undefined || secret === '') throw new CoffreError('COFFRE_INTERNAL', 'idempotency needs an authenticated request')
    const fingerprint = requestFingerprint(secret, request.method, request.url, request.body)
    const deadline = Date.now() + waitMs
    for (;;) {
      const outcome = await records.begin(tokenId, key, fingerprint)
      if (outcome.kind === 'claimed') {
        request.idempotencyClaim = { tokenId, key }
        return
      }
      if (outcome.kind === 'mismatch') throw new CoffreError('COFFRE_IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with a different request')
      if (outcome.kind === 'replay') {
        await reply.code(outcome.statusCode).header('content-type', 'application/json; charset=utf-8').header('idempotent-replayed', 'true').send(outcome.body)
        return reply
      }
      if (Date.now() >= deadline) throw new CoffreError('COFFRE_CONFLICT', 'a request with this Idempotency-Key is still in progress')
      await sleep(pollMs)
    }
  }
}

/** Records (or releases) the claimed key once the reply is serialised, before it is sent. */
export function registerIdempotencyRecorder(app: FastifyInstance, records: IdempotencyService): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim
    if (claim === undefined) return payload
    request.idempotencyClaim = undefined
    if (reply.statusCode >= 500 || typeof payload !== 'string') await records.release(claim.tokenId, claim.key)
    else await records.complete(claim.tokenId, claim.key, reply.statusCode, payload)
    return payload
  })
}
