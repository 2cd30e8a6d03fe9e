/**
 * The EIP-712 digest keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)), with compiled
 * schemas cached (LRU, keyed by the canonical string of `types` and the implied domain fields)
 * and domain separators cached per schema. Agrees with viem's `hashTypedData` byte for byte on
 * the inputs both accept; bad input is a TypedDataError (a RangeError) naming the field.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { domainFieldMask, domainSeparator } from './typedDataDomain.ts'
import { describeValue, rethrowWithin, TypedDataError } from './typedDataError.ts'
import { LRUCache } from 'lru-cache'
import { compileTypedDataSchema, typedDataTypesKey, type TypedDataSchema } from './typedDataSchema.ts'
import { hashStruct } from './typedDataStruct.ts'

export const TYPED_DATA_SCHEMA_CACHE_SIZE = 256
/** Larger schemas are compiled on every call rather than kept (bounds the cache's memory). */
const MAX_CACHED_KEY_LENGTH = 16_384

const schemas = new LRUCache<string, TypedDataSchema>({ max: TYPED_DATA_SCHEMA_CACHE_SIZE })

export type TypedDataFields = {
  readonly domain?: Readonly<Record<string, unknown>> | undefined
  readonly types: Readonly<Record<string, unknown>>
  readonly primaryType: string
  readonly message?: unknown
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The compiled schema for these types (and, without an explicit EIP712Domain, these domain fields). */
export function typedDataSchemaFor(types: Readonly<Record<string, unknown>>, domain: Readonly<Record<string, unknown>>): TypedDataSchema {
  const domainPart = Object.hasOwn(types, 'EIP712Domain') ? 'E' : String(domainFieldMask(domain))
  const key = `${domainPart}|${typedDataTypesKey(types)}`
  let schema = schemas.get(key)
  if (schema === undefined) {
    schema = compileTypedDataSchema(types, domain)
    if (key.length <= MAX_CACHED_KEY_LENGTH) schemas.set(key, schema)
  }
  return schema
}

/** The digest with an already compiled schema (a caller that signs one struct shape keeps its own). */
export function typedDataDigest(schema: TypedDataSchema, domain: Readonly<Record<string, unknown>>, primaryType: string, message: unknown): Uint8Array {
  if (!isRecord(domain)) throw new TypedDataError(`domain must be an object, got ${describeValue(domain)}`)
  const input = Buffer.allocUnsafe(primaryType === 'EIP712Domain' ? 34 : 66)
  input[0] = 0x19
  input[1] = 0x01
  input.set(domainSeparator(schema, domain), 2)
  if (primaryType !== 'EIP712Domain') {
    const primary = schema.structs.get(primaryType)
    if (primary === undefined) throw new TypedDataError(`primaryType "${primaryType}" is not defined in types`)
    try {
      input.set(hashStruct(primary, message, 0), 34)
    } catch (error) {
      rethrowWithin(error, 'message')
    }
  }
  return keccak_256(input)
}

/** EIP-712 digest of `{ domain, types, primaryType, message }` (domain defaults to `{}`). */
export function hashTypedDataFields(typedData: TypedDataFields): Uint8Array {
  const { domain = {}, types, primaryType } = typedData
  if (!isRecord(types)) throw new TypedDataError('types must be an object')
  if (!isRecord(domain)) throw new TypedDataError(`domain must be an object, got ${describeValue(domain)}`)
  if (typeof primaryType !== 'string') throw new TypedDataError('primaryType must be a string')
  return typedDataDigest(typedDataSchemaFor(types, domain), domain, primaryType, typedData.message)
}
