/**
 * What a refusal was: runs `action` (a promise or a function, sync or async), asserts it threw a
 * CoffreError, and returns its code and details; fails the test if it did not throw.
 */
import assert from 'node:assert/strict'
import { isCoffreError } from '../../src/errors.ts'

export type Refusal = { readonly code: string; readonly details: Readonly<Record<string, unknown>> }

export async function refusal(action: Promise<unknown> | (() => unknown)): Promise<Refusal> {
  try {
    await (typeof action === 'function' ? action() : action)
  } catch (error) {
    assert.ok(isCoffreError(error), `expected a CoffreError, got ${String(error)}`)
    return { code: error.code, details: { ...(error.details ?? {}) } }
  }
  assert.fail('expected a refusal')
}

export const refusalCode = async (action: Promise<unknown> | (() => unknown)): Promise<string> => (await refusal(action)).code
