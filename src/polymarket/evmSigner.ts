/**
 * The signer abstraction the Polymarket layer signs through, so the vault can sign without
 * handing a private key out: an address and a function from a 32-byte digest to a 65-byte
 * r‖s‖v signature (v = 27/28), as EIP-712 and personal-sign expect.
 */
import { getAddress, keccak256 } from 'viem'
import { secp256k1 } from '../crypto/secp256k1.ts'

export type Hex = `0x${string}`

export type EvmDigestSigner = {
  readonly address: Hex
  signDigest(digest: Uint8Array): Promise<Hex>
}

export type PrivateKeySigner = EvmDigestSigner & {
  /** Wipes the signer's copy of the key; later signDigest calls throw. */
  destroy(): void
}

/** EIP-55 address of a 32-byte secp256k1 private key (libsecp256k1). */
export function addressOfPrivateKey(privateKey: Uint8Array): Hex {
  const publicKey = secp256k1.publicKeyCreate(privateKey, false)
  const hash = keccak256(publicKey.subarray(1))
  return getAddress(`0x${hash.slice(26)}`)
}

/** 65-byte r‖s‖v hex from a libsecp256k1 signature and recovery id. */
export function encodeRecoverableSignature(signature: Uint8Array, recid: number): Hex {
  const out = Buffer.allocUnsafe(65)
  out.set(signature, 0)
  out[64] = 27 + recid
  return `0x${out.toString('hex')}`
}

/**
 * A signer over a private key held in memory, signing with native libsecp256k1 (RFC 6979,
 * low-s: the same bytes viem and ethers produce). The key is copied in; `destroy` wipes it.
 */
export function privateKeySigner(privateKey: Uint8Array): PrivateKeySigner {
  if (!(privateKey instanceof Uint8Array)) throw new TypeError('privateKey must be a Uint8Array')
  if (privateKey.length !== 32) throw new RangeError('privateKey must be 32 bytes')
  if (!secp256k1.privateKeyVerify(privateKey)) throw new RangeError('privateKey is not a valid secp256k1 scalar')
  const key = Uint8Array.from(privateKey)
  const address = addressOfPrivateKey(key)
  let destroyed = false
  return {
    address,
    async signDigest(digest: Uint8Array): Promise<Hex> {
      if (destroyed) throw new Error('signer was destroyed')
      if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new TypeError('digest must be 32 bytes')
      const { signature, recid } = secp256k1.ecdsaSign(digest, key)
      return encodeRecoverableSignature(signature, recid)
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
