/**
 * The fields of an EVM transaction request a policy judges — chain id, recipient, native value,
 * calldata and its 4-byte selector — read from the request as the vault receives it (EIP-1559
 * or legacy shape, quantities as JSON carries them). Anything that would not parse the same way
 * when signed is Undecodable.
 */
import { transactionQuantity } from './quantity.ts'
import { undecodable } from './undecodable.ts'

export type EvmTransactionView = {
  readonly chainId: number
  /** Lowercase; null for a contract creation. */
  readonly to: string | null
  readonly value: bigint
  /** Lowercase 0x-hex calldata ('0x' when none). */
  readonly data: string
  /** '0x' + 8 lowercase hex digits, or '0x' when there is no calldata (a plain transfer). */
  readonly selector: string
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/

export function decodeEvmTransaction(request: unknown): EvmTransactionView {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return undecodable('the transaction is not an object')
  const tx = request as Record<string, unknown>
  const own = (key: string) => (Object.hasOwn(tx, key) ? tx[key] : undefined)
  const chainId = transactionQuantity(own('chainId'))
  if (chainId === undefined || chainId < 1n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) return undecodable('chainId is missing or not an integer')
  const to = own('to')
  if (to != null && (typeof to !== 'string' || !ADDRESS.test(to))) return undecodable('to is not an address')
  const rawValue = own('value')
  const value = rawValue === undefined ? 0n : transactionQuantity(rawValue)
  if (value === undefined) return undecodable('value is not an integer')
  const rawData = own('data')
  if (rawData !== undefined && (typeof rawData !== 'string' || !HEX_BYTES.test(rawData))) return undecodable('data is not 0x-hex bytes')
  if (own('input') !== undefined) return undecodable('calldata must be sent as data, not input')
  const data = rawData === undefined ? '0x' : rawData.toLowerCase()
  return {
    chainId: Number(chainId),
    to: to == null ? null : to.toLowerCase(),
    value,
    data,
    selector: data.length >= 10 ? data.slice(0, 10) : data === '0x' ? '0x' : data,
  }
}
