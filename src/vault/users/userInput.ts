/** Guards for user-facing identifiers. */
import { invalidInput } from '../../errors.ts'
import { UUID_PATTERN } from '../../ids.ts'

/** Telegram user ids are positive integers below 2^52; numeric strings are accepted. */
export function parseTelegramUserId(value: unknown): number {
  const parsed = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed <= 0) {
    throw invalidInput('telegramUserId must be a positive integer')
  }
  return parsed
}

export function parseUsername(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw invalidInput('username must be 1 to 64 printable characters')
  }
  return value
}

export function parseUserId(value: unknown): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) throw invalidInput('user id must be a lowercase UUID')
  return value
}
