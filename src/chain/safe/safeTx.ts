/**
 * A Safe transaction (SafeTx) and its EIP-712 hash — what owners sign and what the Safe's own
 * getTransactionHash returns — with domain {chainId, verifyingContract: the Safe} (v1.3.0+), hashed
 * by Coffre's compiled EIP-712 encoder (chain/evm/typedDataHash.ts).
 */
import { getAddress, isAddress, isHex, zeroAddress, type Address, type Hex } from 'viem'
import { invalidInput } from '../../errors.ts'
import { typedDataDigest } from '../evm/typedDataHash.ts'
import { compileTypedDataSchema } from '../evm/typedDataSchema.ts'

export type SafeOperation = 0 | 1

export type SafeTx = {
  readonly to: Address
  readonly value: bigint
  readonly data: Hex
  /** 0 = CALL, 1 = DELEGATECALL. */
  readonly operation: SafeOperation
  readonly safeTxGas: bigint
  readonly baseGas: bigint
  readonly gasPrice: bigint
  readonly gasToken: Address
  readonly refundReceiver: Address
  readonly nonce: bigint
}

export type SafeDomain = { readonly chainId: number; readonly safe: Address }

export const safeTxTypes = {
  EIP712Domain: [
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ],
  SafeTx: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' },
    { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
  SafeMessage: [{ name: 'message', type: 'bytes' }],
} as const

const schema = compileTypedDataSchema(safeTxTypes)

/** A SafeTx with the usual defaults: a CALL, no gas refund, no gas token. */
export function buildSafeTx(input: { to: string; value?: bigint; data?: Hex; operation?: SafeOperation; nonce: bigint }): SafeTx {
  if (typeof input?.to !== 'string' || !isAddress(input.to, { strict: false })) throw invalidInput('to must be an EVM address', { field: 'to' })
  const value = input.value ?? 0n
  const data = input.data ?? '0x'
  const operation = input.operation ?? 0
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 256n) throw invalidInput('value must be a uint256 bigint', { field: 'value' })
  if (!isHex(data) || data.length % 2 !== 0) throw invalidInput('data must be 0x-hex bytes', { field: 'data' })
  if (operation !== 0 && operation !== 1) throw invalidInput('operation must be 0 (call) or 1 (delegatecall)', { field: 'operation' })
  if (typeof input.nonce !== 'bigint' || input.nonce < 0n) throw invalidInput('nonce must be a non-negative bigint', { field: 'nonce' })
  return { to: getAddress(input.to), value, data, operation, safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress, nonce: input.nonce }
}

const domainOf = (domain: SafeDomain) => ({ chainId: domain.chainId, verifyingContract: domain.safe })

export function hashSafeTx(tx: SafeTx, domain: SafeDomain): Uint8Array {
  return typedDataDigest(schema, domainOf(domain), 'SafeTx', tx)
}

/**
 * The hash a Safe's ERC-1271 `isValidSignature(bytes32 hash, bytes signatures)` checks owner
 * signatures against (CompatibilityFallbackHandler v1.4.1): EIP-712 SafeMessage{message: abi.encode(hash)}.
 */
export function hashSafeMessageForHash(hash: Uint8Array, domain: SafeDomain): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) throw new TypeError('hash must be 32 bytes')
  return typedDataDigest(schema, domainOf(domain), 'SafeMessage', { message: hash })
}
