/**
 * Why typed data could not be hashed, and where: `message.to[0].wallet: invalid address "0x12"`.
 * A RangeError (a bad value, not a bad program); the path is prepended segment by segment while
 * the error unwinds, so encoding pays nothing for it until something is wrong.
 */
export class TypedDataError extends RangeError {
  override name = 'TypedDataError'
  readonly reason: string
  readonly path: string

  constructor(reason: string, path = '') {
    super(path === '' ? reason : `${path}: ${reason}`)
    this.reason = reason
    this.path = path
  }

  /** The same error one level up: `segment` is `.field`, `[3]` or a root such as `message`. */
  within(segment: string): TypedDataError {
    return new TypedDataError(this.reason, segment + this.path)
  }
}

/** Rethrows `error` with `segment` prepended to its path when it is ours, unchanged otherwise. */
export function rethrowWithin(error: unknown, segment: string): never {
  throw error instanceof TypedDataError ? error.within(segment) : error
}

/** A value for an error message: short, and never an object dump. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  return value instanceof Uint8Array ? 'bytes' : `a ${typeof value}`
}
