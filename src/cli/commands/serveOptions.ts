/**
 * The flags of `coffre serve` (with their COFFRE_* environment fallbacks), declared once as a zod
 * schema and parsed once. Integers are canonical decimal within a range, as every CLI integer
 * (io.ts parseIntegerOption): a bad value is COFFRE_INVALID_INPUT naming the flag; an unknown log
 * level is COFFRE_INVALID_CONFIG.
 */
import { z } from 'zod'
import { CoffreError } from '../../errors.ts'
import type { Environment } from '../../config.ts'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

function integerFlag(name: string, min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]*)$/, `${name} must be a non-negative integer in canonical decimal (no sign, spaces or leading zeros)`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be between ${min} and ${max}`).max(max, `${name} must be between ${min} and ${max}`))
}

const optionalText = z.string().min(1).optional()

export const serveOptionsSchema = z.object({
  host: z.string().min(1),
  port: integerFlag('--port', 0, 65535),
  logLevel: z.enum(LOG_LEVELS, { error: 'unknown --log-level' }),
  storeStuckAfter: integerFlag('--store-stuck-after', 0, 86_400),
  drainTimeout: integerFlag('--drain-timeout', 1, 3_600),
  redisUrl: optionalText,
  rateLimit: integerFlag('--rate-limit', 0, Number.MAX_SAFE_INTEGER).optional(),
  rateLimitWindow: integerFlag('--rate-limit-window', 1, 86_400).optional(),
  bodyLimit: integerFlag('--body-limit', 1024, 16 * 1024 * 1024).optional(),
  trustProxy: z.boolean(),
  clobUrl: optionalText,
  chainId: integerFlag('--chain-id', 0, Number.MAX_SAFE_INTEGER).optional(),
  scheduler: z.boolean(),
  chainWatcher: z.boolean(),
  chainPollInterval: integerFlag('--chain-poll-interval', 1, 3_600),
})

export type ServeOptions = z.infer<typeof serveOptionsSchema>

/** commander's options for `serve` and the environment → the checked options. */
export function parseServeOptions(options: Record<string, unknown>, env: Environment): ServeOptions {
  const raw = {
    host: options.host ?? env.COFFRE_HOST ?? '127.0.0.1',
    port: options.port ?? env.COFFRE_PORT ?? '8787',
    logLevel: options.logLevel ?? env.COFFRE_LOG_LEVEL ?? 'info',
    storeStuckAfter: options.storeStuckAfter ?? env.COFFRE_STORE_STUCK_AFTER ?? '60',
    drainTimeout: options.drainTimeout ?? env.COFFRE_DRAIN_TIMEOUT ?? '10',
    // An empty Redis URL means none (rate limits in memory), as before.
    redisUrl: (options.redisUrl ?? env.COFFRE_REDIS_URL) || undefined,
    rateLimit: options.rateLimit,
    rateLimitWindow: options.rateLimitWindow,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy === true,
    clobUrl: options.clobUrl,
    chainId: options.chainId,
    scheduler: options.scheduler !== false,
    chainWatcher: options.chainWatcher !== false,
    chainPollInterval: options.chainPollInterval ?? env.COFFRE_CHAIN_POLL_INTERVAL ?? '5',
  }
  const parsed = serveOptionsSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new CoffreError(issue?.path[0] === 'logLevel' ? 'COFFRE_INVALID_CONFIG' : 'COFFRE_INVALID_INPUT', issue?.message ?? 'invalid serve options')
}
