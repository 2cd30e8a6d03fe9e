/** `coffre polymarket l1-headers`: parsed options → the four L1 headers (the signer comes from the vault). */
import { invalidInput } from '../../errors.ts'
import type { EvmDigestSigner } from '../evmSigner.ts'
import { createL1Headers, type L1Headers } from '../l1Headers.ts'

export type L1HeadersInput = { chainId: string | number; timestamp?: string | number; nonce?: string | number }

const integer = (name: string, value: string | number): number => {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < 0) throw invalidInput(`${name} must be a non-negative integer`)
  return n
}

export async function l1HeadersCommand(signer: EvmDigestSigner, input: L1HeadersInput): Promise<L1Headers> {
  return createL1Headers(signer, {
    chainId: integer('chainId', input.chainId),
    ...(input.timestamp === undefined ? {} : { timestamp: integer('timestamp', input.timestamp) }),
    ...(input.nonce === undefined ? {} : { nonce: integer('nonce', input.nonce) }),
  })
}
