/**
 * An EvmDigestSigner for a vault user: every signature decrypts the user's Polygon key inside
 * useWalletKey (decrypt → sign → wipe → audit durable). Nothing keeps the key between calls.
 */
import { signDigestHex } from '../../chain/evm/signDigest.ts'
import type { EvmDigestSigner, Hex } from '../../polymarket/evmSigner.ts'
import type { VaultContext } from '../context.ts'
import { useWalletKey, type KeyUse } from '../keys/useKey.ts'

export function vaultEvmSigner(ctx: VaultContext, holder: { readonly userId: string; readonly address: string }, use: KeyUse): EvmDigestSigner {
  return {
    address: holder.address as Hex,
    signDigest: (digest) => useWalletKey(ctx, { id: holder.userId }, 'polygon', use, (key) => signDigestHex(key, digest)),
  }
}

/** A signer over a key the caller already holds inside useWalletKey (one decrypt for a whole order). */
export function heldKeySigner(key: Uint8Array, address: string): EvmDigestSigner {
  return { address: address as Hex, signDigest: async (digest) => signDigestHex(key, digest) }
}
