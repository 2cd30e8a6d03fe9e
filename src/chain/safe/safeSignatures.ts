/**
 * Owner signatures for a Safe: made over the SafeTx (or SafeMessage) hash, checked to come from an
 * owner, one per owner, sorted by owner address ascending as Safe's checkNSignatures requires, and
 * concatenated once the threshold is met. Signature kinds accepted from co-signers:
 * - v = 27/28: ECDSA over the EIP-712 hash itself (eth_signTypedData, or Coffre's own signer);
 * - v = 31/32: eth_sign over the hash (personal_sign of the 32 raw bytes), which Safe reads as v − 4.
 */
import { getAddress, hashMessage, type Address, type Hex } from 'viem'
import { recoverDigestSigner } from '../evm/recoverDigestSigner.ts'
import { CoffreError } from '../../errors.ts'
import { evmAddressFromPublicKey } from '../../wallet/evmAddress.ts'

/** Signs a 32-byte digest (Coffre's vault signer, a co-signer's key in tests): 65-byte r‖s‖v with v = 27/28. */
export type DigestSigner = { readonly address: string; signDigest(digest: Uint8Array): Promise<Hex> }

export type OwnerSignature = { readonly owner: Address; readonly signature: Hex }

const invalid = (message: string, details: Record<string, string | number> = {}) => new CoffreError('COFFRE_SAFE_SIGNATURE_INVALID', message, { details })

export async function signSafeHash(signer: DigestSigner, hash: Uint8Array): Promise<OwnerSignature> {
  const signature = await signer.signDigest(hash)
  return { owner: getAddress(signer.address), signature }
}

/** The owner who made `signature` over `hash`, or COFFRE_SAFE_SIGNATURE_INVALID. */
export function recoverSafeSigner(hash: Uint8Array, signature: Hex): Address {
  const v = typeof signature === 'string' && signature.length === 132 ? Number.parseInt(signature.slice(130), 16) : -1
  const ethSign = v === 31 || v === 32
  const digest = ethSign ? new Uint8Array(Buffer.from(hashMessage({ raw: hash }).slice(2), 'hex')) : hash
  const normalised = ethSign ? (`${signature.slice(0, 130)}${(v - 4).toString(16)}` as Hex) : signature
  try {
    // Safe's ecrecover accepts high s too; one signature per owner makes the second spelling harmless.
    return evmAddressFromPublicKey(recoverDigestSigner(digest, normalised, { allowHighS: true })) as Address
  } catch (error) {
    if (error instanceof RangeError) throw invalid(`The Safe signature ${error.message}`)
    throw error
  }
}

export type CollectedSignatures = {
  /** Owners who signed, sorted ascending (the order of `signatures`). */
  readonly signers: readonly Address[]
  /** The signatures concatenated in that order: execTransaction's / isValidSignature's `signatures` argument. */
  readonly signatures: Hex
}

/**
 * Checks every signature against the owners (a non-owner's is refused, not skipped), keeps one per
 * owner, and — when `threshold` is given — refuses with COFFRE_SAFE_THRESHOLD_NOT_MET below it.
 */
export function collectSafeSignatures(hash: Uint8Array, given: readonly OwnerSignature[] | readonly Hex[], owners: readonly string[], threshold?: number): CollectedSignatures {
  const ownerSet = new Set(owners.map((owner) => getAddress(owner)))
  const byOwner = new Map<Address, Hex>()
  for (const [i, item] of given.entries()) {
    const signature = typeof item === 'string' ? item : item.signature
    const owner = recoverSafeSigner(hash, signature)
    if (typeof item !== 'string' && getAddress(item.owner) !== owner) throw invalid(`Signature ${i + 1} was made by ${owner}, not by ${item.owner}`, { signature: i + 1 })
    if (!ownerSet.has(owner)) throw invalid(`Signature ${i + 1} was made by ${owner}, who is not an owner of the Safe`, { signature: i + 1 })
    if (!byOwner.has(owner)) byOwner.set(owner, signature)
  }
  const signers = [...byOwner.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
  if (threshold !== undefined && signers.length < threshold) {
    throw new CoffreError('COFFRE_SAFE_THRESHOLD_NOT_MET', `${signers.length} of the ${threshold} owner signatures needed`, { details: { signatures: signers.length, threshold } })
  }
  return { signers, signatures: `0x${signers.map((owner) => (byOwner.get(owner) as Hex).slice(2)).join('')}` }
}
