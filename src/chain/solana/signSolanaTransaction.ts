/**
 * Adds this key's signature to a Solana wire transaction (legacy or v0). @solana/kit's codec
 * splits the wire bytes into the signature slots (keyed by the required signers' addresses, in
 * order) and the message bytes; we sign the message bytes, fill our slot and re-encode. Other
 * signers' slots are left as they were.
 */
import { base58 } from '@scure/base'
import { getCompiledTransactionMessageDecoder, getTransactionDecoder, getTransactionEncoder, type Transaction } from '@solana/kit'
import { CoffreError } from '../../errors.ts'
import { assertBytes } from '../../wallet/assertBytes.ts'
import { solanaAddressFromSecretKey } from '../../wallet/solanaAccount.ts'
import { signEd25519 } from './signSolanaMessage.ts'

export interface SignedSolanaTransaction {
  signedTransaction: Uint8Array
  /** base58 signature; for the fee payer this is also the transaction id. */
  signature: string
}

const transactionDecoder = getTransactionDecoder()
const transactionEncoder = getTransactionEncoder()
const messageDecoder = getCompiledTransactionMessageDecoder()

/** The transaction codec takes "the rest" as message bytes; parse them so truncated or padded messages are refused. */
function assertWellFormedMessage(messageBytes: Uint8Array): void {
  let consumed: number
  try {
    consumed = messageDecoder.read(messageBytes, 0)[1]
  } catch (cause) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the Solana transaction message does not decode', { cause })
  }
  if (consumed !== messageBytes.length) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the Solana transaction message has trailing bytes')
  }
}

function decode(wireTransaction: Uint8Array): Transaction {
  let transaction: Transaction
  try {
    transaction = transactionDecoder.decode(wireTransaction)
  } catch (cause) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the bytes are not a Solana wire transaction', { cause })
  }
  assertWellFormedMessage(new Uint8Array(transaction.messageBytes))
  return transaction
}

export function signSolanaTransaction(secretKey32: Uint8Array, wireTransaction: Uint8Array): SignedSolanaTransaction {
  assertBytes(secretKey32, 'secretKey', 32)
  assertBytes(wireTransaction, 'wireTransaction')
  const transaction = decode(wireTransaction)
  const signer = solanaAddressFromSecretKey(secretKey32)
  if (!Object.hasOwn(transaction.signatures, signer)) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', `${signer} is not one of the transaction's required signers`, {
      details: { signer, requiredSigners: Object.keys(transaction.signatures) },
    })
  }
  const signature = signEd25519(secretKey32, new Uint8Array(transaction.messageBytes))
  const signed = {
    ...transaction,
    signatures: { ...transaction.signatures, [signer]: signature },
  } as Transaction
  return { signedTransaction: new Uint8Array(transactionEncoder.encode(signed)), signature: base58.encode(signature) }
}
