/**
 * The parts of EIP-712 typed data a policy judges, read the way the hasher
 * (chain/evm/typedDataHash.ts) reads them, so the policy sees what gets signed: only the
 * domain fields that are hashed (spelled out in types.EIP712Domain, or implied by the non-null
 * fields present) and only with their standard types; message values through own properties.
 * Values that the hasher would refuse are Undecodable.
 */
import { EIP712_DOMAIN_FIELDS } from '../../chain/evm/typedDataDomain.ts'
import { typedDataInteger } from './quantity.ts'
import { typedDataKind, type TypedDataKind } from './typedDataKinds.ts'
import { undecodable } from './undecodable.ts'

export type TypedDataDomainView = {
  readonly name?: string
  readonly version?: string
  readonly chainId?: bigint
  /** Lowercase. */
  readonly verifyingContract?: string
}

export type TypedDataView = {
  readonly primaryType: string
  readonly domain: TypedDataDomainView
  readonly types: Readonly<Record<string, unknown>>
  readonly message: Readonly<Record<string, unknown>>
  readonly kind: TypedDataKind
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const STANDARD_TYPE: Readonly<Record<string, string>> = Object.fromEntries(EIP712_DOMAIN_FIELDS.map((field) => [field.name, field.type]))

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value)
const own = (record: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined)

/** Domain field name → declared type, for the fields the digest covers. */
function hashedDomainFields(types: Readonly<Record<string, unknown>>, domain: Readonly<Record<string, unknown>>): Map<string, string> {
  const out = new Map<string, string>()
  const explicit = own(types, 'EIP712Domain')
  if (explicit !== undefined) {
    if (!Array.isArray(explicit)) return undecodable('types.EIP712Domain is not a list of fields')
    for (const field of explicit as unknown[]) {
      if (isRecord(field) && typeof field.name === 'string' && typeof field.type === 'string') out.set(field.name, field.type)
    }
    return out
  }
  for (const field of EIP712_DOMAIN_FIELDS) if (own(domain, field.name) != null) out.set(field.name, field.type)
  return out
}

function readDomain(types: Readonly<Record<string, unknown>>, domain: Readonly<Record<string, unknown>>): TypedDataDomainView {
  const out: { name?: string; version?: string; chainId?: bigint; verifyingContract?: string } = {}
  for (const [name, type] of hashedDomainFields(types, domain)) {
    if (STANDARD_TYPE[name] !== type) continue
    const value = own(domain, name)
    if (name === 'name' || name === 'version') {
      if (typeof value !== 'string') return undecodable(`domain.${name} is not a string`)
      out[name] = value
    } else if (name === 'chainId') {
      const chainId = typedDataInteger(value)
      if (chainId === undefined || chainId < 0n) return undecodable('domain.chainId is not an integer')
      out.chainId = chainId
    } else if (name === 'verifyingContract') {
      if (typeof value !== 'string' || !ADDRESS.test(value)) return undecodable('domain.verifyingContract is not an address')
      out.verifyingContract = value.toLowerCase()
    }
  }
  return out
}

export function decodeTypedData(input: unknown): TypedDataView {
  if (!isRecord(input)) return undecodable('typed data is not an object')
  const types = own(input, 'types')
  const primaryType = own(input, 'primaryType')
  const domain = own(input, 'domain') ?? {}
  const message = own(input, 'message') ?? {}
  if (!isRecord(types) || typeof primaryType !== 'string' || !isRecord(domain) || !isRecord(message)) {
    return undecodable('typed data needs types, primaryType, domain and message objects')
  }
  const domainView = readDomain(types, domain)
  return { primaryType, domain: domainView, types, message, kind: typedDataKind(types, primaryType, domainView) }
}
