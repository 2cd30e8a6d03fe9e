/**
 * L1 headers: proof of control of the wallet, used to create or derive API keys.
 * Same defaults as the official client: timestamp = now in whole seconds, nonce = 0.
 */
import { invalidInput } from '../errors.ts'
import { hashClobAuth } from './clobAuth.ts'
import { isPolymarketChainId } from './contracts.ts'
import { digestBytes, type EvmDigestSigner } from './evmSigner.ts'

export type L1Headers = {
  POLY_ADDRESS: string
  POLY_SIGNATURE: string
  POLY_TIMESTAMP: string
  POLY_NONCE: string
}

export type L1HeaderOptions = { chainId: number; timestamp?: number; nonce?: number | bigint }

export async function createL1Headers(signer: EvmDigestSigner, options: L1HeaderOptions): Promise<L1Headers> {
  if (signer === null || typeof signer !== 'object' || typeof signer.signDigest !== 'function') {
    throw new TypeError('signer must be an EvmDigestSigner')
  }
  if (!isPolymarketChainId(options?.chainId)) throw invalidInput('chainId must be 137 or 80002')
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw invalidInput('timestamp must be a non-negative integer (seconds)')
  const nonce = BigInt(options.nonce ?? 0)
  if (nonce < 0n || nonce >= 2n ** 256n) throw invalidInput('nonce must be a uint256')
  const ts = String(timestamp)
  const digest = hashClobAuth({ address: signer.address, chainId: options.chainId, timestamp: ts, nonce })
  const signature = await signer.signDigest(digestBytes(digest))
  return { POLY_ADDRESS: signer.address, POLY_SIGNATURE: signature, POLY_TIMESTAMP: ts, POLY_NONCE: nonce.toString() }
}
