/** CLI input/output: JSON or human output, secrets read from files or stdin (never argv). */
import { readFileSync } from 'node:fs'
import { CoffreError } from '../errors.ts'

export type Output = {
  json: boolean
  write(text: string): void
  /** Resolves once everything written so far has left the process (stdout drained). */
  flushed?(): Promise<void>
}

export function print(out: Output, value: unknown, human?: () => string): void {
  if (out.json || human === undefined) out.write(`${JSON.stringify(value, null, out.json ? 0 : 2)}\n`)
  else out.write(`${human()}\n`)
}

/** Reads a whole file, or stdin for `-`. The caller wipes the buffer when it holds a secret. */
export function readInput(path: string, what: string): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new CoffreError('COFFRE_INVALID_INPUT', `missing file for ${what}`)
  try {
    return new Uint8Array(readFileSync(path === '-' ? 0 : path))
  } catch (cause) {
    throw new CoffreError('COFFRE_INVALID_INPUT', `cannot read ${what} from ${path === '-' ? 'stdin' : path}`, { cause })
  }
}

/** Reads a text secret (a key, a mnemonic) and trims the trailing newline editors add. */
export function readSecretText(path: string, what: string): string {
  const bytes = readInput(path, what)
  const text = Buffer.from(bytes).toString('utf8').trim()
  bytes.fill(0)
  return text
}

export function readJsonFile(path: string, what: string): unknown {
  const bytes = readInput(path, what)
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new CoffreError('COFFRE_INVALID_INPUT', `${what} is not valid JSON`)
  } finally {
    bytes.fill(0)
  }
}

export function parseIntegerOption(value: string, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  // Canonical decimal only: `01` is refused rather than read as 1 (a derivation index is hashed as text).
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) throw new CoffreError('COFFRE_INVALID_INPUT', `${name} must be a non-negative integer in canonical decimal (no sign, spaces or leading zeros)`)
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) throw new CoffreError('COFFRE_INVALID_INPUT', `${name} must be between ${min} and ${max}`)
  return parsed
}

/** Like `print`, and resolves once the text has been handed to the operating system (the operator has it even if the process dies next). */
export function writeOut(out: Output, value: unknown, human?: () => string): Promise<void> {
  print(out, value, human)
  return out.flushed?.() ?? Promise.resolve()
}
