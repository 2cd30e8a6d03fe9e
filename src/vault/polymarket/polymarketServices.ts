/**
 * vault.polymarket: credentials and orders over one CLOB client (rate limited per user and
 * globally, in memory or Redis), the SQL outbox and its sender. The client is made on first use,
 * so a vault that never trades never validates or reaches the CLOB. `startOrderSender` runs the
 * sender in the background (coffre serve); `close` stops it.
 */
import { CoffreError } from '../../errors.ts'
import { createClobClient, type ClobClient, type L2Auth } from '../../polymarket/clobClient.ts'
import { createOrderSender } from '../../polymarket/orderSender.ts'
import { createClobRateLimiter } from '../../polymarket/rateLimits.ts'
import { createSqlOrderOutboxStore } from '../../store/polymarketOutbox.ts'
import { findCredentials } from './credentialRows.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { openCredentials } from './credentialSecrets.ts'
import { createCredentialService } from './credentialService.ts'
import { resolvePolymarketConfig, type PolymarketOptions } from './options.ts'
import { createOrderService } from './orderService.ts'
import { importCredentials } from './importCredentials.ts'
import type { ImportedCredentials } from './storeImportedCredentials.ts'

/**
 * POST /order with the body the outbox holds. The body names its owner (an API key); if the
 * user's key was rotated since the order was stored, the owner is swapped for the current key
 * (the owner is not part of the signed order) so the CLOB does not refuse it.
 */
function withCurrentOwner(client: ClobClient): Pick<ClobClient, 'postOrder'> {
  return {
    postOrder(auth: L2Auth, body: string) {
      const parsed = JSON.parse(body) as { owner?: unknown }
      if (parsed.owner === auth.credentials.key) return client.postOrder(auth, body)
      return client.postOrder(auth, JSON.stringify({ ...parsed, owner: auth.credentials.key }))
    },
  }
}

export function createPolymarketServices(ctx: VaultContext, options: PolymarketOptions = {}) {
  const config = resolvePolymarketConfig(options)
  let client: ClobClient | undefined
  const clientOf = (): ClobClient => {
    client ??= createClobClient({
      baseUrl: config.baseUrl,
      chainId: config.chainId,
      rateLimiter: createClobRateLimiter({ ...options.rateLimits, ...(options.redis === undefined ? {} : { redis: options.redis }) }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    })
    return client
  }
  const credentials = createCredentialService({ ctx, client: clientOf, config, verify: options.verify ?? {} })
  const store = createSqlOrderOutboxStore(ctx.store.db, ctx.store.dialect)

  async function authFor(userId: string): Promise<L2Auth> {
    const [current] = await findCredentials(ctx, ctx.store.db, { userId, baseUrl: config.baseUrl, kind: 'trading', state: 'active' })
    if (current === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'the order\'s user has no active Polymarket API key')
    return openCredentials(ctx, current, { purpose: 'polymarket.post-order', actor: 'system:order-sender' })
  }

  let sender: ReturnType<typeof createOrderSender> | undefined
  const tuning = options.sender ?? {}
  const senderOf = () => {
    sender ??= createOrderSender({
      store,
      client: withCurrentOwner(clientOf()),
      authFor,
      ...(tuning.maxAttempts === undefined ? {} : { maxAttempts: tuning.maxAttempts }),
      ...(tuning.backoff === undefined ? {} : { backoff: tuning.backoff }),
      ...(tuning.leaseMs === undefined ? {} : { leaseMs: tuning.leaseMs }),
      ...(tuning.batchSize === undefined ? {} : { batchSize: tuning.batchSize }),
    })
    return sender
  }
  let background = false

  return {
    config,
    /** create-or-derive, list, rotate, revoke, read-only keys; `import` stores credentials made elsewhere. */
    credentials: { ...credentials, import: (input: ImportedCredentials, options: ActionOptions = {}) => importCredentials(ctx, input, options) },
    orders: createOrderService({ ctx, config, credentials, store, sender: senderOf }),
    /** Sends due outbox rows every `intervalMs` until stopped (pending orders of earlier runs too). */
    startOrderSender(intervalMs: number = tuning.intervalMs ?? 250): void {
      if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) throw new TypeError('intervalMs must be a positive integer')
      background = true
      senderOf().start(intervalMs)
    },
    /** One pass over the due rows (CLI, tests); returns what happened to each. */
    sendDueOrders: () => senderOf().runOnce(),
    async stopOrderSender(): Promise<void> {
      background = false
      await sender?.stop()
    },
    get senderRunning(): boolean {
      return background
    },
    async close(): Promise<void> {
      await sender?.stop()
    },
  }
}

export type PolymarketServices = ReturnType<typeof createPolymarketServices>
