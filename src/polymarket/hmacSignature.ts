/**
 * The L2 request signature: HMAC-SHA256 keyed by the base64-decoded API secret over
 * timestamp + METHOD + path + body, encoded url-safe base64 with its `=` padding kept.
 */
import { createHmac } from 'node:crypto'
import { invalidInput } from '../errors.ts'

const base64Text = /^[A-Za-z0-9+/_-]+={0,2}$/

/** Decodes an API secret (base64url, standard base64, padding optional). Caller wipes the bytes. */
export function decodeApiSecret(secret: string): Buffer {
  if (typeof secret !== 'string') throw new TypeError('secret must be a string')
  const unpadded = secret.replace(/=+$/, '')
  if (secret.length === 0 || !base64Text.test(secret) || unpadded.length % 4 === 1) {
    throw invalidInput('API secret is not base64')
  }
  return Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
}

export function l2SignedMessage(timestamp: number | string, method: string, path: string, body?: string): string {
  return `${timestamp}${method}${path}${body ?? ''}`
}

export function buildHmacSignature(secret: string, message: string): string {
  const key = decodeApiSecret(secret)
  try {
    const digest = createHmac('sha256', key).update(message, 'utf8').digest('base64')
    return digest.replace(/\+/g, '-').replace(/\//g, '_')
  } finally {
    key.fill(0)
  }
}
