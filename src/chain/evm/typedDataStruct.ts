/**
 * EIP-712 `hashStruct` over a compiled struct: keccak256(typeHash ‖ one 32-byte word per field),
 * where a nested struct's word is its own hashStruct and an array's word is keccak256 of its
 * elements' words (nested arrays and arrays of structs alike).
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { WordEncoder } from './typedDataAtoms.ts'
import { describeValue, rethrowWithin, TypedDataError } from './typedDataError.ts'

export interface StructField {
  readonly name: string
  readonly type: string
  readonly encode: WordEncoder
}

export interface StructEncoder {
  readonly name: string
  /** keccak256 of the encodeType, e.g. `Mail(Person from,Person to,string contents)Person(string name,address wallet)` */
  readonly typeHash: Uint8Array
  readonly fields: readonly StructField[]
}

/** Structs and arrays nested deeper than this are refused (a JSON body cannot blow the stack). */
export const MAX_TYPED_DATA_DEPTH = 64

function assertDepth(depth: number): void {
  if (depth > MAX_TYPED_DATA_DEPTH) throw new TypedDataError(`nested deeper than ${MAX_TYPED_DATA_DEPTH} levels`)
}

export function hashStruct(struct: StructEncoder, value: unknown, depth: number): Uint8Array {
  assertDepth(depth)
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new TypedDataError(`expected ${struct.name} as an object, got ${describeValue(value)}`)
  }
  const record = value as Record<string, unknown>
  const { fields } = struct
  const out = Buffer.allocUnsafe(32 * (fields.length + 1)).fill(0)
  out.set(struct.typeHash, 0)
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    const fieldValue = Object.hasOwn(record, field.name) ? record[field.name] : undefined
    try {
      if (fieldValue === undefined) throw new TypedDataError(`missing ${field.type} field`)
      field.encode(out, 32 * (i + 1), fieldValue, depth)
    } catch (error) {
      rethrowWithin(error, `.${field.name}`)
    }
  }
  return keccak_256(out)
}

export function structReference(struct: StructEncoder): WordEncoder {
  return (out, offset, value, depth) => out.set(hashStruct(struct, value, depth + 1), offset)
}

/** `T[]` (length null) or `T[n]`: the word is keccak256 of the elements' words. */
export function arrayEncoder(type: string, element: WordEncoder, length: number | null): WordEncoder {
  return (out, offset, value, depth) => {
    assertDepth(depth + 1)
    if (!Array.isArray(value)) throw new TypedDataError(`expected ${type} as an array, got ${describeValue(value)}`)
    if (length !== null && value.length !== length) throw new TypedDataError(`expected ${type} with exactly ${length} elements, got ${value.length}`)
    const words = Buffer.allocUnsafe(32 * value.length).fill(0)
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      try {
        if (item === undefined) throw new TypedDataError('missing element')
        element(words, 32 * i, item, depth + 1)
      } catch (error) {
        rethrowWithin(error, `[${i}]`)
      }
    }
    out.set(keccak_256(words), offset)
  }
}
