/**
 * L2 headers: the five headers every API-key-authenticated CLOB request carries.
 * `path` is the request path without its query string; `body` the exact text sent.
 */
import { getAddress, isAddress } from 'viem'
import { invalidInput } from '../errors.ts'
import { buildHmacSignature, l2SignedMessage } from './hmacSignature.ts'

export type ApiCredentials = { key: string; secret: string; passphrase: string }

export type L2Headers = {
  POLY_ADDRESS: string
  POLY_SIGNATURE: string
  POLY_TIMESTAMP: string
  POLY_API_KEY: string
  POLY_PASSPHRASE: string
}

export type L2HeaderArgs = { address: string; method: string; path: string; body?: string; timestamp?: number }

export function createL2Headers(credentials: ApiCredentials, args: L2HeaderArgs): L2Headers {
  if (credentials === null || typeof credentials !== 'object') throw new TypeError('credentials must be an object')
  const { key, secret, passphrase } = credentials
  if (typeof key !== 'string' || key === '' || typeof passphrase !== 'string' || typeof secret !== 'string') {
    throw invalidInput('credentials need key, secret and passphrase strings')
  }
  if (typeof args?.address !== 'string' || !isAddress(args.address, { strict: false })) throw invalidInput('address must be an EVM address')
  if (typeof args.method !== 'string' || !/^[A-Z]+$/.test(args.method)) throw invalidInput('method must be an upper-case HTTP method')
  if (typeof args.path !== 'string' || !args.path.startsWith('/') || args.path.includes('?')) {
    throw invalidInput('path must start with / and carry no query string')
  }
  if (args.body !== undefined && typeof args.body !== 'string') throw invalidInput('body must be the exact string sent')
  const timestamp = args.timestamp ?? Math.floor(Date.now() / 1000)
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw invalidInput('timestamp must be a non-negative integer (seconds)')
  return {
    POLY_ADDRESS: getAddress(args.address),
    POLY_SIGNATURE: buildHmacSignature(secret, l2SignedMessage(timestamp, args.method, args.path, args.body)),
    POLY_TIMESTAMP: String(timestamp),
    POLY_API_KEY: key,
    POLY_PASSPHRASE: passphrase,
  }
}
