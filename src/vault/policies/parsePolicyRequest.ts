/**
 * A policy request in its JSON form (dry runs over HTTP and `coffre policies test --request F`):
 * `{ operation, … }` with the same fields the signing routes take — `message` (+ `encoding`
 * utf8 | hex | base64), `typedData`, `transaction` (an EVM transaction object, or a Solana wire
 * transaction in base64), `chainId` + `order`, `chainId`, `withdrawal`, `approval`.
 */
import { invalidInput } from '../../errors.ts'
import { isPolicyOperation } from '../../policy/operations.ts'
import type { PolicyRequest } from '../../policy/request.ts'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function bytesOf(value: unknown, encoding: unknown, field: string): Uint8Array {
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string`)
  if (encoding === undefined || encoding === 'utf8') return new TextEncoder().encode(value)
  if (encoding === 'hex' && /^(0x)?([0-9a-fA-F]{2})*$/.test(value)) return new Uint8Array(Buffer.from(value.replace(/^0x/, ''), 'hex'))
  if (encoding === 'base64' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)) return new Uint8Array(Buffer.from(value, 'base64'))
  throw invalidInput(`${field} is not valid ${String(encoding)} (encoding: utf8, hex or base64)`)
}

const chainIdOf = (value: unknown): number => {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalidInput('chainId must be a positive integer')
  return value as number
}

export function parsePolicyRequest(input: unknown): PolicyRequest {
  if (!isRecord(input) || !isPolicyOperation(input.operation)) throw invalidInput('request must be an object with a known operation')
  const operation = input.operation
  switch (operation) {
    case 'sign.evm-message':
    case 'sign.solana-message':
      if (operation === 'sign.evm-message' && (input.encoding ?? 'utf8') === 'utf8' && typeof input.message === 'string') return { operation, message: input.message }
      return { operation, message: bytesOf(input.message, input.encoding, 'message') }
    case 'sign.typed-data':
      return { operation, typedData: input.typedData }
    case 'sign.evm-transaction':
      return { operation, transaction: input.transaction }
    case 'sign.solana-transaction':
      return { operation, transaction: bytesOf(input.transaction, 'base64', 'transaction') }
    case 'polymarket.order':
      if (!isRecord(input.order)) throw invalidInput('order must be an object')
      return { operation, chainId: chainIdOf(input.chainId ?? 137), order: input.order as never }
    case 'polymarket.credentials':
      return { operation, chainId: chainIdOf(input.chainId ?? 137) }
    case 'chain.withdrawal':
      if (!isRecord(input.withdrawal)) throw invalidInput('withdrawal must be an object')
      return { operation, withdrawal: input.withdrawal as never }
    case 'chain.approval':
      if (!isRecord(input.approval)) throw invalidInput('approval must be an object')
      return { operation, approval: input.approval as never }
    default:
      return { operation }
  }
}
