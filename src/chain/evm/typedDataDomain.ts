/**
 * The EIP-712 domain: which `EIP712Domain` fields a domain implies when `types` does not spell
 * them out (name, version, chainId, verifyingContract, salt — those present, in that order, as
 * viem and the spec do), and its separator, cached per schema by the domain's values.
 */
import { hashStruct, type StructEncoder } from './typedDataStruct.ts'
import { rethrowWithin, TypedDataError } from './typedDataError.ts'
import type { LRUCache } from 'lru-cache'

export const EIP712_DOMAIN_FIELDS = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
] as const

/** Bit i set when the domain has EIP712_DOMAIN_FIELDS[i] (present means neither undefined nor null). */
export function domainFieldMask(domain: Readonly<Record<string, unknown>>): number {
  let mask = 0
  for (let i = 0; i < EIP712_DOMAIN_FIELDS.length; i++) {
    const name = EIP712_DOMAIN_FIELDS[i]!.name
    if (Object.hasOwn(domain, name) && domain[name] != null) mask |= 1 << i
  }
  return mask
}

export function domainFieldsFor(mask: number): { name: string; type: string }[] {
  return EIP712_DOMAIN_FIELDS.filter((_, i) => (mask & (1 << i)) !== 0)
}

/** What the separator depends on, or undefined when a value is not a primitive (then not cached). */
function domainCacheKey(struct: StructEncoder, domain: Readonly<Record<string, unknown>>): string | undefined {
  let key = ''
  for (const field of struct.fields) {
    const value = Object.hasOwn(domain, field.name) ? domain[field.name] : undefined
    if (typeof value === 'string') key += `s${value.length}:${value}`
    else if (typeof value === 'number') key += `n${value};`
    else if (typeof value === 'bigint') key += `i${value};`
    else if (typeof value === 'boolean') key += value ? 't' : 'f'
    else if (value === undefined) key += 'u'
    else return undefined
  }
  return key
}

export interface DomainSchema {
  readonly domain: StructEncoder
  /** The implied-field mask the schema was compiled for, or null when EIP712Domain was explicit. */
  readonly domainMask: number | null
  readonly domainSeparators: LRUCache<string, Uint8Array>
}

/** hashStruct(EIP712Domain, domain). The returned bytes may be shared: callers copy, never mutate. */
export function domainSeparator(schema: DomainSchema, domain: Readonly<Record<string, unknown>>): Uint8Array {
  if (schema.domainMask !== null && domainFieldMask(domain) !== schema.domainMask) {
    throw new TypedDataError('domain has different fields from the ones this schema was compiled for')
  }
  const key = domainCacheKey(schema.domain, domain)
  const cached = key === undefined ? undefined : schema.domainSeparators.get(key)
  if (cached !== undefined) return cached
  let separator: Uint8Array
  try {
    separator = hashStruct(schema.domain, domain, 0)
  } catch (error) {
    rethrowWithin(error, 'domain')
  }
  if (key !== undefined) schema.domainSeparators.set(key, separator)
  return separator
}
