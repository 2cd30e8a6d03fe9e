/**
 * `coffre/viem`: a viem account whose key stays in Coffre. `toCoffreAccount({ client, userId })`
 * returns a `LocalAccount` (viem's `toAccount`) for the user's Polygon address; its
 * `signMessage`, `signTypedData` and `signTransaction` are Coffre calls, so a bot swaps
 * `privateKeyToAccount(key)` for it and keeps its wallet client, contract writes and typed data:
 *
 *   const account = await toCoffreAccount({ client: coffre, userId })
 *   const wallet = createWalletClient({ account, chain: polygon, transport: http(rpcUrl) })
 *   await wallet.sendTransaction({ to, value })   // filled by viem, signed by Coffre, sent by viem
 *
 * Coffre signs EIP-1559 transactions only (what viem prepares by default on Polygon); other
 * transaction types, custom chain serializers and raw-hash signing are refused here, before any call.
 */
import { getAddress, hexToBytes, type Address, type Hex, type SignableMessage, type TransactionSerializable, type TypedDataDefinition } from 'viem'
import { toAccount, type LocalAccount } from 'viem/accounts'
import { CoffreApiError } from './coffreApiError.ts'
import type { CoffreClient } from './createCoffreClient.ts'
import type { CallOptions, EvmTransactionInput, TypedDataInput } from './types.ts'

export type CoffreAccount = LocalAccount<'coffre', Address>

export type ToCoffreAccountParameters = {
  readonly client: CoffreClient
  readonly userId: string
  /** The user's Polygon address when already known (saves the lookup). */
  readonly address?: Address
}

function checkSigner(expected: Address, reply: { address: string }): void {
  if (getAddress(reply.address) !== expected) {
    throw new CoffreApiError('COFFRE_ADDRESS_MISMATCH', 0, `Coffre signed with ${reply.address}, not this account's ${expected}: another user id?`)
  }
}

function messageBytesOf(message: SignableMessage): string | Uint8Array {
  if (typeof message === 'string') return message
  return typeof message.raw === 'string' ? hexToBytes(message.raw) : message.raw
}

/** viem's transaction as Coffre's EIP-1559 request. */
function eip1559Request(transaction: TransactionSerializable): EvmTransactionInput {
  const t = transaction as TransactionSerializable & { type?: string; gasPrice?: bigint; authorizationList?: unknown; blobVersionedHashes?: unknown }
  if (t.type !== undefined && t.type !== 'eip1559') throw new CoffreApiError('COFFRE_UNSUPPORTED', 0, `Coffre signs EIP-1559 transactions; this one is ${t.type}`)
  if (t.gasPrice !== undefined || t.authorizationList !== undefined || t.blobVersionedHashes !== undefined) {
    throw new CoffreApiError('COFFRE_UNSUPPORTED', 0, 'Coffre signs EIP-1559 transactions (maxFeePerGas, maxPriorityFeePerGas), not legacy, blob or EIP-7702 ones')
  }
  for (const field of ['chainId', 'nonce', 'gas', 'maxFeePerGas', 'maxPriorityFeePerGas'] as const) {
    if (t[field] === undefined) throw new CoffreApiError('COFFRE_INVALID_INPUT', 0, `the transaction has no ${field}: prepare it first (walletClient.sendTransaction does)`)
  }
  return {
    type: 'eip1559',
    chainId: t.chainId!,
    nonce: t.nonce!,
    gas: t.gas!,
    maxFeePerGas: t.maxFeePerGas!,
    maxPriorityFeePerGas: t.maxPriorityFeePerGas!,
    to: t.to ?? null,
    ...(t.value === undefined ? {} : { value: t.value }),
    ...(t.data === undefined ? {} : { data: t.data }),
    ...(t.accessList === undefined ? {} : { accessList: t.accessList }),
  }
}

export async function toCoffreAccount(parameters: ToCoffreAccountParameters, options?: CallOptions): Promise<CoffreAccount> {
  const { client, userId } = parameters
  const address = getAddress(parameters.address ?? (await client.users.get(userId, options)).polygonAddress)
  const account = toAccount({
    address,
    async signMessage({ message }) {
      const reply = await client.sign.message(userId, { chain: 'polygon', message: messageBytesOf(message) })
      checkSigner(address, reply)
      return reply.signature as Hex
    },
    async signTypedData(typedData) {
      const reply = await client.sign.typedData(userId, typedData as TypedDataDefinition as TypedDataInput)
      checkSigner(address, reply)
      return reply.signature as Hex
    },
    async signTransaction(transaction, signOptions) {
      if (signOptions?.serializer !== undefined) {
        throw new CoffreApiError('COFFRE_UNSUPPORTED', 0, "Coffre serializes EIP-1559 transactions itself; a chain with its own transaction serializer cannot use a Coffre account")
      }
      const reply = await client.sign.evmTransaction(userId, eip1559Request(transaction))
      checkSigner(address, reply)
      return reply.serializedTransaction as Hex
    },
  })
  return { ...account, source: 'coffre' } as CoffreAccount
}
