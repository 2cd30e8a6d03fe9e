/**
 * Entry guards for byte arguments (noble's `abytes` idea): a non-Uint8Array is a programming error
 * (TypeError); a Uint8Array of the wrong length is a bad input (COFFRE_INVALID_INPUT).
 * Messages name the argument, never its content.
 */
import { invalidInput } from '../errors.ts'

export function assertBytes(value: unknown, name: string, ...lengths: number[]): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    throw invalidInput(`${name} must be ${lengths.join(' or ')} bytes long, got ${value.length}`)
  }
}

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`)
}
