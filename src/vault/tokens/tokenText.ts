/**
 * Token text: `cfr_` + base64url of 32 random bytes. Only its SHA-256 is stored; a presented token
 * is hashed and looked up by hash, then the hashes are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const TOKEN_PREFIX = 'cfr_'
const TOKEN_PATTERN = /^cfr_[A-Za-z0-9_-]{43}$/

export const newTokenText = (): string => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

export const looksLikeToken = (value: string): boolean => TOKEN_PATTERN.test(value)

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right)
}

export const newTokenId = (): string => `tok_${randomBytes(8).toString('hex')}`
