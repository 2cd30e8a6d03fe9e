/**
 * EIP-2612 Permit, DAI's permit and Uniswap Permit2 (allowance PermitSingle / PermitBatch,
 * signature transfers with or without witness) as one view: who may spend, which token, how
 * much, until when. Unlimited: 2^(bits−1) or more in the amount field (max uint256 for
 * EIP-2612, max uint160 for Permit2 allowances), or a DAI permit with allowed = true.
 */
import type { TypedDataView } from './typedData.ts'
import { ownField, readAddress, readUint } from './typedDataValues.ts'
import { undecodable } from './undecodable.ts'

export type PermitEntry = { readonly token: string | undefined; readonly amount: bigint; readonly unlimited: boolean; readonly expiration: bigint | undefined }

export type PermitView = {
  readonly kind: TypedDataView['kind']
  readonly spender: string
  readonly entries: readonly PermitEntry[]
  /** Unix seconds the signature is valid until (2^256 − 1 for a DAI permit with expiry 0). */
  readonly deadline: bigint
}

const MAX_UINT256 = (1n << 256n) - 1n
const MAX_ENTRIES = 256

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) return undecodable(`${what} is not an array`)
  if (value.length > MAX_ENTRIES) return undecodable(`${what} has more than ${MAX_ENTRIES} entries`)
  return value
}

function details(value: unknown): PermitEntry {
  const amount = readUint(ownField(value, 'amount'), 'details.amount', 160)
  return { token: readAddress(ownField(value, 'token'), 'details.token'), amount, unlimited: amount >= 1n << 159n, expiration: readUint(ownField(value, 'expiration'), 'details.expiration', 48) }
}

function permitted(value: unknown): PermitEntry {
  const amount = readUint(ownField(value, 'amount'), 'permitted.amount')
  return { token: readAddress(ownField(value, 'token'), 'permitted.token'), amount, unlimited: amount >= 1n << 255n, expiration: undefined }
}

/** The permit the typed data grants, null when it is not a recognised permit. */
export function decodePermit(view: TypedDataView): PermitView | null {
  const m = view.message
  const spender = () => readAddress(ownField(m, 'spender'), 'spender')
  switch (view.kind) {
    case 'permit': {
      const amount = readUint(ownField(m, 'value'), 'value')
      return { kind: view.kind, spender: spender(), entries: [{ token: view.domain.verifyingContract, amount, unlimited: amount >= 1n << 255n, expiration: undefined }], deadline: readUint(ownField(m, 'deadline'), 'deadline') }
    }
    case 'dai-permit': {
      const allowed = ownField(m, 'allowed')
      if (typeof allowed !== 'boolean') return undecodable('allowed is not a bool')
      const expiry = readUint(ownField(m, 'expiry'), 'expiry')
      return { kind: view.kind, spender: spender(), entries: [{ token: view.domain.verifyingContract, amount: allowed ? MAX_UINT256 : 0n, unlimited: allowed, expiration: undefined }], deadline: expiry === 0n ? MAX_UINT256 : expiry }
    }
    case 'permit2-single':
      return { kind: view.kind, spender: spender(), entries: [details(ownField(m, 'details'))], deadline: readUint(ownField(m, 'sigDeadline'), 'sigDeadline') }
    case 'permit2-batch':
      return { kind: view.kind, spender: spender(), entries: list(ownField(m, 'details'), 'details').map(details), deadline: readUint(ownField(m, 'sigDeadline'), 'sigDeadline') }
    case 'permit2-transfer-from':
    case 'permit2-witness-transfer-from':
      return { kind: view.kind, spender: spender(), entries: [permitted(ownField(m, 'permitted'))], deadline: readUint(ownField(m, 'deadline'), 'deadline') }
    case 'permit2-batch-transfer-from':
    case 'permit2-batch-witness-transfer-from':
      return { kind: view.kind, spender: spender(), entries: list(ownField(m, 'permitted'), 'permitted').map(permitted), deadline: readUint(ownField(m, 'deadline'), 'deadline') }
    default:
      return null
  }
}
