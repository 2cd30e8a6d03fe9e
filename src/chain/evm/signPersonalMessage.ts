/** EIP-191 personal_sign ("\x19Ethereum Signed Message:\n" + length + message), as MetaMask and viem sign. */
import { hashMessage, type Hex } from 'viem'
import { assertEvmPrivateKey, signDigestHex } from './signDigest.ts'

export function signPersonalMessage(privateKey: Uint8Array, message: string | Uint8Array): Hex {
  assertEvmPrivateKey(privateKey)
  if (typeof message !== 'string' && !(message instanceof Uint8Array)) {
    throw new TypeError('message must be a string (UTF-8 text) or a Uint8Array (raw bytes)')
  }
  const digest = hashMessage(typeof message === 'string' ? message : { raw: message }, 'bytes')
  return signDigestHex(privateKey, digest)
}
