import { invalidInput } from '../errors.ts'

/**
 * Upper bound on how many derived keys one call may list or scan (`count`, `maxDerived`, `derivedCount`).
 * Without it a caller could ask for 2^53 derivations: a hang, not an answer. One million keys take
 * about 40 s natively, which is already far beyond any interactive use.
 */
export const MAX_DERIVED_KEYS = 1_000_000

/** A derivation index: a non-negative safe integer (0 … 2^53 − 1); its decimal form goes into the HMAC message. */
export function assertDerivationIndex(index: unknown): asserts index is number {
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw invalidInput('index must be an integer from 0 to 2^53 - 1', { field: 'index' })
  }
}

/** A number of derived keys (`count`, `maxDerived`, `derivedCount`): an integer from 0 to MAX_DERIVED_KEYS. */
export function assertDerivedCount(count: unknown, field: string): asserts count is number {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > MAX_DERIVED_KEYS) {
    throw invalidInput(`${field} must be an integer from 0 to ${MAX_DERIVED_KEYS}`, { field })
  }
}
