/** `client.sign`: messages (EIP-191 or ed25519), EIP-712 typed data, EIP-1559 and Solana transactions. */
import { dataOf, initOf, type Api } from './call.ts'
import { bytesToHex, jsonSafe } from './jsonSafe.ts'
import type { CallOptions, EvmTransactionInput, Signature, SignedEvmTransaction, SignedSolanaTransaction, SignMessageInput, TypedDataInput } from './types.ts'

/** Standard base64 of bytes, without Node's Buffer. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function signingMethods(api: Api) {
  return {
    /** EIP-191 personal_sign on polygon (0x r‖s‖v), ed25519 on solana (base58). */
    message(userId: string, input: SignMessageInput, options?: CallOptions): Promise<Signature> {
      const body = typeof input.message === 'string'
        ? { chain: input.chain, message: input.message, ...(input.encoding === undefined ? {} : { encoding: input.encoding }) }
        : { chain: input.chain, message: bytesToHex(input.message), encoding: 'hex' as const }
      return dataOf(api.POST('/v1/users/{id}/sign/message', { params: { path: { id: userId } }, body, ...initOf(options) }))
    },
    /** EIP-712 with the user's Polygon key. */
    typedData: (userId: string, typedData: TypedDataInput, options?: CallOptions): Promise<Signature> =>
      dataOf(api.POST('/v1/users/{id}/sign/typed-data', { params: { path: { id: userId } }, body: { typedData: jsonSafe(typedData) as never }, ...initOf(options) })),
    /** An EIP-1559 transaction, signed not sent. */
    evmTransaction: (userId: string, transaction: EvmTransactionInput, options?: CallOptions): Promise<SignedEvmTransaction> =>
      dataOf(api.POST('/v1/users/{id}/sign/evm-transaction', { params: { path: { id: userId } }, body: { transaction: jsonSafe(transaction) as never }, ...initOf(options) })),
    /** A Solana wire transaction (bytes, or base64) with the user's signature added; the reply's `signedTransaction` is base64. */
    solanaTransaction: (userId: string, wireTransaction: Uint8Array | string, options?: CallOptions): Promise<SignedSolanaTransaction> =>
      dataOf(api.POST('/v1/users/{id}/sign/solana-transaction', {
        params: { path: { id: userId } },
        body: { transaction: typeof wireTransaction === 'string' ? wireTransaction : bytesToBase64(wireTransaction) },
        ...initOf(options),
      })),
  }
}
