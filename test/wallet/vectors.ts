/** Loads the known-answer vector files under test/vectors/. */
import { readFileSync } from 'node:fs'

export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
export const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'))
