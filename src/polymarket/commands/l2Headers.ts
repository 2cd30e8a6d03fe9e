/** `coffre polymarket l2-headers`: parsed options → the five L2 headers for one request. */
import { invalidInput } from '../../errors.ts'
import { createL2Headers, type ApiCredentials, type L2Headers } from '../l2Headers.ts'

export type L2HeadersInput = { address: string; method: string; path: string; body?: string; timestamp?: string | number }

export function l2HeadersCommand(credentials: ApiCredentials, input: L2HeadersInput): L2Headers {
  const timestamp = input.timestamp === undefined ? undefined : Number(input.timestamp)
  if (timestamp !== undefined && (!Number.isSafeInteger(timestamp) || timestamp < 0)) throw invalidInput('timestamp must be unix seconds')
  if (typeof input.path !== 'string') throw invalidInput('path is required')
  const queryAt = input.path.indexOf('?')
  return createL2Headers(credentials, {
    address: input.address,
    method: typeof input.method === 'string' ? input.method.toUpperCase() : input.method,
    path: queryAt < 0 ? input.path : input.path.slice(0, queryAt),
    ...(input.body === undefined ? {} : { body: input.body }),
    ...(timestamp === undefined ? {} : { timestamp }),
  })
}
