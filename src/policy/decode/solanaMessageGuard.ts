/**
 * Whether bytes handed to sign.solana-message would also be a Solana transaction message
 * (legacy, v0 or v1): signing them with the user's key would authorise that transaction, which
 * is how a "message" route drains a wallet (web3.js verifySignatures() accepts the result).
 * Detection is by parsing with @solana/kit's compiled-message decoder from the first byte;
 * trailing bytes do not save a message (a transaction's signature covers its message bytes,
 * and refusing a few odd binary strings costs nothing). Solana's off-chain message format
 * starts with 0xff "solana offchain" and never parses as a transaction message.
 */
import { getCompiledTransactionMessageDecoder } from '@solana/kit'

const messageDecoder = getCompiledTransactionMessageDecoder()

export function looksLikeSolanaTransactionMessage(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array')
  try {
    const [message] = messageDecoder.read(bytes, 0)
    return message.staticAccounts.length > 0
  } catch {
    return false
  }
}
