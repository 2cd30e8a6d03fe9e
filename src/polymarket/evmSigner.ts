/**
 * The signer abstraction the Polymarket layer signs through, so the vault can sign without
 * handing a private key out: an address and a function from a 32-byte digest to a 65-byte
 * r‖s‖v signature (v = 27/28), as EIP-712 and personal-sign expect.
 */
import { assertEvmPrivateKey, signDigestHex } from '../chain/evm/signDigest.ts'
import { evmAddressFromPrivateKey } from '../wallet/evmAddress.ts'

export type Hex = `0x${string}`

export type EvmDigestSigner = {
  readonly address: Hex
  signDigest(digest: Uint8Array): Promise<Hex>
}

export type PrivateKeySigner = EvmDigestSigner & {
  /** Wipes the signer's copy of the key; later signDigest calls throw. */
  destroy(): void
}

/**
 * A signer over a private key held in memory, signing with native libsecp256k1 through
 * src/chain/evm/signDigest (RFC 6979, low-s: the bytes viem and ethers produce).
 * The key is copied in; `destroy` wipes the copy.
 */
export function privateKeySigner(privateKey: Uint8Array): PrivateKeySigner {
  assertEvmPrivateKey(privateKey)
  const key = Uint8Array.from(privateKey)
  const address = evmAddressFromPrivateKey(key)
  let destroyed = false
  return {
    address,
    async signDigest(digest: Uint8Array): Promise<Hex> {
      if (destroyed) throw new Error('signer was destroyed')
      return signDigestHex(key, digest)
    },
    destroy(): void {
      key.fill(0)
      destroyed = true
    },
  }
}

/** Hex string (0x…) of a 32-byte digest to bytes. */
export function digestBytes(digest: Hex): Uint8Array {
  return Buffer.from(digest.slice(2), 'hex')
}
