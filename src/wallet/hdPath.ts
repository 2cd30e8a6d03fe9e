/**
 * Derivation paths as text ("m/44'/60'/0'/0/0") → child indices, hardened ones offset by 2^31
 * (BIP-32's notation; ' marks a hardened step). Paths are not secret: errors may quote a segment.
 */
import { invalidInput } from '../errors.ts'
import { assertString } from './assertBytes.ts'

export const HARDENED_OFFSET = 0x80000000

export function parseDerivationPath(path: string): number[] {
  assertString(path, 'path')
  const segments = path.split('/')
  if (segments[0] !== 'm') throw invalidInput('a derivation path starts with "m"')
  return segments.slice(1).map((segment) => {
    const match = /^(\d{1,10})('?)$/u.exec(segment)
    const index = match?.[1] === undefined ? Number.NaN : Number(match[1])
    if (!(index < HARDENED_OFFSET)) throw invalidInput(`a path segment is an index below 2^31, optionally followed by ', got "${segment}"`)
    return match?.[2] === "'" ? index + HARDENED_OFFSET : index
  })
}

export const isHardened = (index: number): boolean => index >= HARDENED_OFFSET
