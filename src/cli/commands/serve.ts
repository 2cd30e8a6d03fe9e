/**
 * `coffre serve`: opens the vault once, builds the app (`buildApp`) and listens (127.0.0.1:8787 by
 * default). SIGINT/SIGTERM stop accepting, drain in-flight requests, then close the vault — within
 * --drain-timeout, after which the process exits 1 even if requests are stuck on the store.
 */
import type { Command } from 'commander'
import { Redis } from 'ioredis'
import { parseVaultConfig } from '../../config.ts'
import { CoffreError, redactUrl } from '../../errors.ts'
import { buildApp } from '../../http/buildApp.ts'
import { createServiceLogger } from '../../http/logging.ts'
import { createHttpMetrics } from '../../http/metrics.ts'
import { createRateLimits, DEFAULT_RATE_LIMITS } from '../../http/rateLimits.ts'
import { openVault } from '../../vault/openVault.ts'
import type { CliContext } from '../context.ts'
import { parseServeOptions } from './serveOptions.ts'
import { drainWithin } from '../drainWithin.ts'
import { startScheduler } from '../../vault/keyManagement/startScheduler.ts'


/** A Redis that stops answering is given up on per command; rate limits then count in this instance's memory. */
const REDIS_COMMAND_TIMEOUT_MS = 300

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the JSON HTTP API, dashboard, /metrics and /docs')
    .option('--host <host>', 'address to listen on (or COFFRE_HOST)')
    .option('--port <port>', 'port (or COFFRE_PORT; default 8787, 0 picks a free one)')
    .option('--redis-url <url>', 'share rate limits through Redis (or COFFRE_REDIS_URL); in memory otherwise')
    .option('--rate-limit <n>', `requests per window per token (0 = off; default ${DEFAULT_RATE_LIMITS.tokenPoints})`)
    .option('--rate-limit-window <seconds>', `rate-limit window (default ${DEFAULT_RATE_LIMITS.tokenWindowSeconds})`)
    .option('--body-limit <bytes>', 'largest accepted request body (default 131072)')
    .option('--trust-proxy', 'take the client IP from X-Forwarded-For (behind a reverse proxy)')
    .option('--clob-url <url>', 'Polymarket CLOB base URL (default https://clob.polymarket.com)')
    .option('--chain-id <id>', 'Polymarket chain: 137 or 80002 (default 137)')
    .option('--store-stuck-after <seconds>', 'liveness (/healthz) fails once the store has gone unanswered this long (or COFFRE_STORE_STUCK_AFTER; default 60, 0 = never)')
    .option('--drain-timeout <seconds>', 'on SIGINT/SIGTERM, wait this long for in-flight requests, then exit 1 anyway (or COFFRE_DRAIN_TIMEOUT; default 10)')
    .option('--no-chain-watcher', 'do not scan deposits, deliver webhooks or track withdrawals in this instance')
    .option('--chain-poll-interval <seconds>', 'seconds between chain watcher steps (or COFFRE_CHAIN_POLL_INTERVAL; default 5)')
    .option('--no-scheduler', 'do not run the periodic jobs (health, rotation due-check, audit verification) in this instance')
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug, silent (or COFFRE_LOG_LEVEL)')
    .action(async (options, command: Command) => {
      const env = ctx.env
      const flags = parseServeOptions(options, env)
      const { host, port } = flags
      const config = parseVaultConfig(command.optsWithGlobals(), env, ctx.cwd)
      const logger = createServiceLogger(flags.logLevel)
      const metrics = createHttpMetrics()
      const redisUrl = flags.redisUrl
      const redis = redisUrl === undefined ? undefined : new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, commandTimeout: REDIS_COMMAND_TIMEOUT_MS })
      if (redis !== undefined) {
        redis.on('error', () => logger.warn({ redis: redactUrl(redisUrl!) }, 'redis unavailable; rate limits fall back to memory'))
        await redis.connect().catch(() => undefined)
      }
      const polymarket = { ...(flags.clobUrl === undefined ? {} : { baseUrl: flags.clobUrl }), ...(flags.chainId === undefined ? {} : { chainId: flags.chainId }), ...(redis === undefined ? {} : { redis }) }
      const vault = await openVault(config, { logger, observer: metrics.observer, polymarket })
      try {
        // Every configured RPC URL must serve the configured chain before the service starts.
        const chains = await vault.chain.connect()
        if (chains.polygon !== undefined || chains.solana !== undefined) logger.info({ chains }, 'chains connected')
      } catch (error) {
        await vault.close()
        redis?.disconnect()
        throw error
      }
      const rateLimits = createRateLimits({
        ...DEFAULT_RATE_LIMITS,
        ...(redis === undefined ? {} : { redis }),
        ...(flags.rateLimit === undefined ? {} : { tokenPoints: flags.rateLimit }),
        ...(flags.rateLimitWindow === undefined ? {} : { tokenWindowSeconds: flags.rateLimitWindow }),
      })
      const app = await buildApp({
        vault,
        logger,
        metrics,
        rateLimits,
        trustProxy: flags.trustProxy,
        health: { stuckAfterMs: flags.storeStuckAfter * 1000 },
        ...(flags.bodyLimit === undefined ? {} : { bodyLimit: flags.bodyLimit }),
      })
      let url: string
      try {
        url = await app.listen({ host, port, listenTextResolver: () => '' })
      } catch (cause) {
        await app.close()
        await vault.close()
        redis?.disconnect()
        throw new CoffreError('COFFRE_INVALID_CONFIG', `cannot listen on ${host}:${port}`, { cause })
      }
      vault.polymarket.startOrderSender()
      const scheduler = flags.scheduler ? startScheduler(vault) : undefined
      const configured = vault.chain.configured()
      const watcher = flags.chainWatcher && (configured.polygon || configured.solana || config.webhooks !== undefined) ? vault.chain.startWatcher({ intervalMs: flags.chainPollInterval * 1000 }) : undefined
      ctx.stdout(`${JSON.stringify({ listening: url, pid: process.pid, store: vault.info().database })}\n`)
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'shutting down: draining requests')
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          resolve()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      await drainWithin(flags.drainTimeout * 1000, logger, async () => {
        await scheduler?.stop()
        await watcher?.stop()
        await app.close()
        await vault.close()
        redis?.disconnect()
      }, () => app.server.closeAllConnections())
      logger.info('stopped')
    })
}
