/**
 * Typed data Coffre understands, recognised by the exact struct definitions EIP-712 hashes
 * (names, types and order of every field), never by the primaryType name alone: a look-alike
 * struct hashes differently, so no contract expecting the real one would accept it. Polymarket
 * orders and ClobAuth also need their domain's name and version.
 */
import { clobAuthTypes } from '../../polymarket/clobAuth.ts'
import { orderV2Types } from '../../polymarket/orderV2.ts'

export type TypedDataKind =
  | 'polymarket-order' | 'clob-auth' | 'permit' | 'dai-permit' | 'permit2-single' | 'permit2-batch'
  | 'permit2-transfer-from' | 'permit2-batch-transfer-from' | 'permit2-witness-transfer-from' | 'permit2-batch-witness-transfer-from' | 'other'

type Field = { readonly name: string; readonly type: string }
type Fields = readonly Field[]

const f = (spec: string): Fields => spec.split(',').map((part) => {
  const [type, name] = part.trim().split(' ') as [string, string]
  return { name, type }
})

const PERMIT = f('address owner, address spender, uint256 value, uint256 nonce, uint256 deadline')
const DAI_PERMIT = f('address holder, address spender, uint256 nonce, uint256 expiry, bool allowed')
const PERMIT_DETAILS = f('address token, uint160 amount, uint48 expiration, uint48 nonce')
const TOKEN_PERMISSIONS = f('address token, uint256 amount')
const PERMIT_SINGLE = f('PermitDetails details, address spender, uint256 sigDeadline')
const PERMIT_BATCH = f('PermitDetails[] details, address spender, uint256 sigDeadline')
const TRANSFER_FROM = f('TokenPermissions permitted, address spender, uint256 nonce, uint256 deadline')
const BATCH_TRANSFER_FROM = f('TokenPermissions[] permitted, address spender, uint256 nonce, uint256 deadline')

export const POLYMARKET_ORDER_DOMAIN = Object.freeze({ name: 'Polymarket CTF Exchange', version: '2' })
export const CLOB_AUTH_DOMAIN = Object.freeze({ name: 'ClobAuthDomain', version: '1' })

type Types = Readonly<Record<string, unknown>>

function sameFields(actual: unknown, expected: Fields, prefixOnly = false): boolean {
  if (!Array.isArray(actual)) return false
  if (prefixOnly ? actual.length !== expected.length + 1 : actual.length !== expected.length) return false
  for (let i = 0; i < expected.length; i++) {
    const field = actual[i] as Partial<Field> | null
    if (typeof field !== 'object' || field === null || field.name !== expected[i]!.name || field.type !== expected[i]!.type) return false
  }
  return true
}

const own = (types: Types, name: string): unknown => (Object.hasOwn(types, name) ? types[name] : undefined)

export function typedDataKind(types: Types, primaryType: string, domain: { name?: string | undefined; version?: string | undefined }): TypedDataKind {
  const primary = own(types, primaryType)
  switch (primaryType) {
    case 'Order':
      return sameFields(primary, orderV2Types.Order) && domain.name === POLYMARKET_ORDER_DOMAIN.name && domain.version === POLYMARKET_ORDER_DOMAIN.version ? 'polymarket-order' : 'other'
    case 'ClobAuth':
      return sameFields(primary, clobAuthTypes.ClobAuth) && domain.name === CLOB_AUTH_DOMAIN.name && domain.version === CLOB_AUTH_DOMAIN.version ? 'clob-auth' : 'other'
    case 'Permit':
      return sameFields(primary, PERMIT) ? 'permit' : sameFields(primary, DAI_PERMIT) ? 'dai-permit' : 'other'
    case 'PermitSingle':
      return sameFields(primary, PERMIT_SINGLE) && sameFields(own(types, 'PermitDetails'), PERMIT_DETAILS) ? 'permit2-single' : 'other'
    case 'PermitBatch':
      return sameFields(primary, PERMIT_BATCH) && sameFields(own(types, 'PermitDetails'), PERMIT_DETAILS) ? 'permit2-batch' : 'other'
    case 'PermitTransferFrom':
      return sameFields(primary, TRANSFER_FROM) && sameFields(own(types, 'TokenPermissions'), TOKEN_PERMISSIONS) ? 'permit2-transfer-from' : 'other'
    case 'PermitBatchTransferFrom':
      return sameFields(primary, BATCH_TRANSFER_FROM) && sameFields(own(types, 'TokenPermissions'), TOKEN_PERMISSIONS) ? 'permit2-batch-transfer-from' : 'other'
    case 'PermitWitnessTransferFrom':
      return sameFields(primary, TRANSFER_FROM, true) && sameFields(own(types, 'TokenPermissions'), TOKEN_PERMISSIONS) ? 'permit2-witness-transfer-from' : 'other'
    case 'PermitBatchWitnessTransferFrom':
      return sameFields(primary, BATCH_TRANSFER_FROM, true) && sameFields(own(types, 'TokenPermissions'), TOKEN_PERMISSIONS) ? 'permit2-batch-witness-transfer-from' : 'other'
    default:
      return 'other'
  }
}
