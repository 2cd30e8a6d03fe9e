/**
 * The service's pino logger: request lines carry an allow-list of fields (id, method, route,
 * status, duration, token name) — never a body, a header, a query string or an error's stack.
 */
import pino, { type Logger } from 'pino'

export function createServiceLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'coffre' },
    serializers: {
      req: (req: { id?: unknown; method?: unknown; url?: unknown }) => ({ id: req.id, method: req.method, path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined }),
      res: (res: { statusCode?: unknown }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: unknown; code?: unknown }) => ({ type: typeof err?.name === 'string' ? err.name : 'Error', code: typeof err?.code === 'string' ? err.code : undefined }),
    },
    redact: { paths: ['req.headers', 'headers', 'authorization', 'body', 'req.body'], remove: true },
  }
  return destination === undefined ? pino(options) : pino(options, destination)
}
