/**
 * An EIP-1559 (type 2) transaction request as it arrives over HTTP or the CLI: quantities as
 * decimal strings, 0x-hex strings, numbers (safe integers) or bigints. Returns viem's
 * serializable form, or COFFRE_SIGNING_FAILED naming the offending field.
 */
import { isAddress, type Address, type Hex, type TransactionSerializableEIP1559 } from 'viem'
import { z } from 'zod'
import { CoffreError } from '../../errors.ts'

const maxUint256 = (1n << 256n) - 1n

const quantity = z
  .union([
    z.bigint(),
    z.number().refine(Number.isSafeInteger, 'numbers must be safe integers; send larger values as decimal strings'),
    z.string().regex(/^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/u, 'expected a decimal or 0x-hex integer string'),
  ])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n && value <= maxUint256, 'must be between 0 and 2^256 − 1')

const smallQuantity = quantity
  .refine((value) => value <= BigInt(Number.MAX_SAFE_INTEGER), 'too large')
  .transform((value) => Number(value))

const address = z.string().refine((value) => isAddress(value), 'expected a 20-byte 0x address (EIP-55 checksum if mixed case)')
const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/u, 'expected 0x-prefixed hex bytes')
const storageKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/u, 'expected a 32-byte 0x hex storage key')

const eip1559Request = z
  .object({
    type: z.union([z.literal('eip1559'), z.literal(2), z.literal('0x2')]).optional(),
    chainId: smallQuantity.refine((value) => value >= 1, 'chainId must be at least 1'),
    nonce: smallQuantity,
    to: address.nullable().optional(),
    value: quantity.optional(),
    data: hexData.optional(),
    gas: quantity,
    maxFeePerGas: quantity,
    maxPriorityFeePerGas: quantity,
    accessList: z.array(z.object({ address, storageKeys: z.array(storageKey) }).strict()).optional(),
  })
  .strict()

export type EvmTransactionRequest = z.input<typeof eip1559Request>

export function parseEvmTransaction(request: unknown): TransactionSerializableEIP1559 {
  const parsed = eip1559Request.safeParse(request)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined || issue.path.length === 0 ? 'transaction' : issue.path.join('.')
    throw new CoffreError('COFFRE_SIGNING_FAILED', `invalid transaction: ${where}: ${issue?.message ?? 'malformed'}`)
  }
  const tx = parsed.data
  return {
    type: 'eip1559',
    chainId: tx.chainId,
    nonce: tx.nonce,
    ...(tx.to == null ? {} : { to: tx.to as Address }),
    value: tx.value ?? 0n,
    data: (tx.data ?? '0x') as Hex,
    gas: tx.gas,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    accessList: (tx.accessList ?? []).map((entry) => ({
      address: entry.address as Address,
      storageKeys: entry.storageKeys as Hex[],
    })),
  }
}
