/**
 * `coffre/solana`: a @solana/kit signer whose key stays in Coffre.
 * `createCoffreSolanaSigner({ client, userId })` is a `TransactionPartialSigner` (transactions
 * go through Coffre's transaction route, which adds the user's signature to the wire bytes) and a
 * `MessagePartialSigner` (off-chain messages through the message route — which refuses bytes that
 * parse as a transaction, so a transaction is never signed as a "message"). Use it wherever kit
 * takes a signer: `setTransactionMessageFeePayerSigner`, instruction builders,
 * `signTransactionMessageWithSigners`.
 */
import {
  address as toAddress,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getTransactionDecoder,
  type Address,
  type MessagePartialSigner,
  type SignatureBytes,
  type SignatureDictionary,
  type Transaction,
  type TransactionPartialSigner,
} from '@solana/kit'
import { CoffreApiError } from './coffreApiError.ts'
import type { CoffreClient } from './createCoffreClient.ts'
import type { CallOptions } from './types.ts'

export type CoffreSolanaSigner = TransactionPartialSigner & MessagePartialSigner

export type CreateCoffreSolanaSignerParameters = {
  readonly client: CoffreClient
  readonly userId: string
  /** The user's Solana address when already known (saves the lookup). */
  readonly address?: string
}

const base58 = getBase58Encoder()
const base64 = getBase64Encoder()
const transactionDecoder = getTransactionDecoder()

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

function refuse(message: string): never {
  throw new CoffreApiError('COFFRE_SIGNING_FAILED', 0, message)
}

export async function createCoffreSolanaSigner(parameters: CreateCoffreSolanaSignerParameters, options?: CallOptions): Promise<CoffreSolanaSigner> {
  const { client, userId } = parameters
  const signerAddress: Address = toAddress(parameters.address ?? (await client.users.get(userId, options)).solanaAddress)

  async function signOne(transaction: Transaction, signal: AbortSignal | undefined): Promise<SignatureDictionary> {
    const reply = await client.sign.solanaTransaction(userId, getBase64EncodedWireTransaction(transaction), signal === undefined ? {} : { signal })
    if (reply.address !== signerAddress) refuse(`Coffre signed with ${reply.address}, not this signer's ${signerAddress}: another user id?`)
    // The reply must be our message with our signature in it: nothing else is accepted.
    const signed = transactionDecoder.decode(base64.encode(reply.signedTransaction))
    const signature = base58.encode(reply.signature) as SignatureBytes
    if (!sameBytes(new Uint8Array(signed.messageBytes), new Uint8Array(transaction.messageBytes))) refuse('Coffre returned a transaction with another message')
    const slot = signed.signatures[signerAddress]
    if (signature.length !== 64 || slot == null || !sameBytes(slot, signature)) refuse("Coffre's signature is not in the signer's slot")
    return Object.freeze({ [signerAddress]: signature })
  }

  const signer: CoffreSolanaSigner = {
    address: signerAddress,
    signTransactions: (transactions, config) => Promise.all(transactions.map((transaction) => signOne(transaction, config?.abortSignal))),
    signMessages: (messages, config) =>
      Promise.all(messages.map(async (message) => {
        const reply = await client.sign.message(userId, { chain: 'solana', message: message.content }, config?.abortSignal === undefined ? {} : { signal: config.abortSignal })
        if (reply.address !== signerAddress) refuse(`Coffre signed with ${reply.address}, not this signer's ${signerAddress}`)
        return Object.freeze({ [signerAddress]: base58.encode(reply.signature) as SignatureBytes })
      })),
  }
  return Object.freeze(signer)
}
