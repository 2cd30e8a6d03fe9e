/**
 * Integers as requests carry them, read with the same grammar as the code that later signs
 * them, so the policy judges exactly the value that gets signed: bigint, safe-integer number,
 * or a decimal or 0x-hex string. Transactions (chain/evm/parseEvmTransaction.ts) take no sign
 * and no leading zeros; EIP-712 fields (chain/evm/typedDataAtoms.ts) take an optional minus
 * and up to 100 digits.
 */
const TX_QUANTITY = /^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/
const TYPED_DECIMAL = /^-?[0-9]{1,100}$/
const TYPED_HEX = /^0x[0-9a-fA-F]{1,100}$/

export function transactionQuantity(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined
  if (typeof value === 'string' && value.length <= 100 && TX_QUANTITY.test(value)) return BigInt(value)
  return undefined
}

export function typedDataInteger(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined
  if (typeof value === 'string' && (TYPED_DECIMAL.test(value) || TYPED_HEX.test(value))) return BigInt(value)
  return undefined
}
