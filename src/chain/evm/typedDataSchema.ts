/**
 * Compiles EIP-712 `types` once into struct encoders: each struct's encodeType (itself, then
 * the structs it references sorted by name) and typeHash, and one encoder per field. Struct
 * names and field types are checked as viem's validateTypedData does: a struct name is letters,
 * digits, `_`, `$`, `:` and not a Solidity type; a field type is a struct or an EIP-712 atomic
 * or dynamic type (no bare `uint`/`int`), with any number of `[]`/`[n]` suffixes. Types may be
 * recursive (through arrays a finite message can end them).
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { encodeAddress, encodeBool, encodeDynamicBytes, encodeString, fixedBytesEncoder, integerEncoder, type WordEncoder } from './typedDataAtoms.ts'
import { domainFieldMask, domainFieldsFor, type DomainSchema } from './typedDataDomain.ts'
import { TypedDataError } from './typedDataError.ts'
import { LRUCache } from 'lru-cache'
import { arrayEncoder, structReference, type StructEncoder, type StructField } from './typedDataStruct.ts'

export type TypedDataField = { readonly name: string; readonly type: string }
export type TypedDataTypes = Readonly<Record<string, readonly TypedDataField[]>>

export interface TypedDataSchema extends DomainSchema {
  readonly structs: ReadonlyMap<string, StructEncoder>
}

const STRUCT_NAME = /^[A-Za-z0-9_$:]+$/
const SOLIDITY_NAME = /^(?:address|bool|string|(?:u?int|bytes)[0-9]*)$/
const INTEGER = /^(u?int)([0-9]+)$/
const FIXED_BYTES = /^bytes([1-9]|[12][0-9]|3[0-2])$/
const ARRAY_SUFFIXES = /(?:\[[0-9]*\])+$/
const DOMAIN_SEPARATORS_PER_SCHEMA = 64
/** Far above any real schema; bounds compile time and memory (encodeType strings grow with depth). */
export const MAX_STRUCT_TYPES = 128
export const MAX_FIELDS = 1024

function atomicEncoder(type: string): WordEncoder | undefined {
  if (type === 'address') return encodeAddress
  if (type === 'bool') return encodeBool
  if (type === 'string') return encodeString
  if (type === 'bytes') return encodeDynamicBytes
  const bytes = FIXED_BYTES.exec(type)
  if (bytes) return fixedBytesEncoder(Number(bytes[1]))
  const integer = INTEGER.exec(type)
  const bits = integer ? Number(integer[2]) : 0
  if (integer && bits >= 8 && bits <= 256 && bits % 8 === 0 && String(bits) === integer[2]) return integerEncoder(type, bits, integer[1] === 'int')
  return undefined
}

/** The `types` object as checked input: every entry an array of { name: string, type: string }. */
function fieldsOf(types: Readonly<Record<string, unknown>>, name: string): readonly TypedDataField[] {
  const fields = types[name]
  if (!Array.isArray(fields)) throw new TypedDataError(`types.${name} must be an array of { name, type }`)
  for (const field of fields as unknown[]) {
    const f = field as Partial<Record<'name' | 'type', unknown>> | null
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.type !== 'string') {
      throw new TypedDataError(`types.${name} must be an array of { name, type } with string name and type`)
    }
  }
  return fields as readonly TypedDataField[]
}

/**
 * A canonical, injective string for `types` (names sorted, every string length-prefixed), so
 * two inputs share a compiled schema only when they are the same schema. Checks the shape too.
 */
export function typedDataTypesKey(types: Readonly<Record<string, unknown>>): string {
  let key = ''
  for (const name of Object.keys(types).sort()) {
    const fields = fieldsOf(types, name)
    key += `${name.length}:${name}${fields.length}[`
    for (const { name: fieldName, type } of fields) key += `${fieldName.length}:${fieldName}${type.length}:${type}`
  }
  return key
}

/** EIP-712 encodeType: the struct, then the structs it references (transitively) sorted by name. */
function encodeTypeOf(primary: string, definitions: ReadonlyMap<string, readonly { field: TypedDataField; base: string }[]>): string {
  const found = new Set<string>()
  const visit = (name: string): void => {
    if (found.has(name)) return
    found.add(name)
    for (const { base } of definitions.get(name)!) if (definitions.has(base)) visit(base)
  }
  visit(primary)
  found.delete(primary)
  return [primary, ...[...found].sort()]
    .map((name) => `${name}(${definitions.get(name)!.map(({ field }) => `${field.type} ${field.name}`).join(',')})`)
    .join('')
}

/**
 * Compiles `types`; without an explicit `EIP712Domain` one is implied by the fields `domain`
 * has, and the schema then only hashes domains with those same fields.
 */
export function compileTypedDataSchema(types: Readonly<Record<string, unknown>>, domain: Readonly<Record<string, unknown>> = {}): TypedDataSchema {
  const explicitDomain = Object.hasOwn(types, 'EIP712Domain')
  const domainMask = explicitDomain ? null : domainFieldMask(domain)
  const all: Readonly<Record<string, unknown>> = explicitDomain ? types : { ...types, EIP712Domain: domainFieldsFor(domainMask!) }

  const names = Object.keys(all)
  if (names.length > MAX_STRUCT_TYPES) throw new TypedDataError(`types has ${names.length} struct types, more than ${MAX_STRUCT_TYPES}`)
  let fieldCount = 0
  const definitions = new Map<string, { field: TypedDataField; base: string }[]>()
  for (const name of names) {
    if (!STRUCT_NAME.test(name) || SOLIDITY_NAME.test(name)) throw new TypedDataError(`struct type "${name}" is not a valid name`)
    const fields = fieldsOf(all, name)
    fieldCount += fields.length
    if (fieldCount > MAX_FIELDS) throw new TypedDataError(`types has more than ${MAX_FIELDS} fields`)
    definitions.set(name, fields.map((field) => ({ field, base: field.type.replace(ARRAY_SUFFIXES, '') })))
  }

  const structs = new Map<string, StructEncoder & { fields: StructField[] }>()
  for (const name of definitions.keys()) {
    structs.set(name, { name, typeHash: keccak_256(Buffer.from(encodeTypeOf(name, definitions), 'utf8')), fields: [] })
  }
  for (const [name, fields] of definitions) {
    for (const { field, base } of fields) {
      const referenced = structs.get(base)
      let encode = referenced === undefined ? atomicEncoder(base) : structReference(referenced)
      if (encode === undefined) throw new TypedDataError(`type "${field.type}" of ${name}.${field.name} is not a valid EIP-712 type`)
      let type = base
      for (const [, length] of field.type.slice(base.length).matchAll(/\[([0-9]*)\]/g)) {
        type += `[${length}]`
        encode = arrayEncoder(type, encode, length === '' ? null : Number(length))
      }
      structs.get(name)!.fields.push({ name: field.name, type: field.type, encode })
    }
  }
  return { structs, domain: structs.get('EIP712Domain')!, domainMask, domainSeparators: new LRUCache<string, Uint8Array>({ max: DOMAIN_SEPARATORS_PER_SCHEMA }) }
}
