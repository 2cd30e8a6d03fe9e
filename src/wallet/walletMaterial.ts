/**
 * Everything a new user's wallet is made of: the mnemonic entropy, the EVM and Solana accounts it
 * derives, and an independent identity key. The keys are derived first; each address (and the
 * Solana public key) is then computed once, from the very buffer handed out, after every other
 * step that allocates or wipes memory, so an aliasing bug cannot store an address the key does
 * not control. (Deriving the accounts with their addresses and re-deriving every address again in
 * `verifyWalletMaterial` did the same work twice: ~250 µs per user.) `verifyWalletMaterial`
 * remains for material that comes from elsewhere.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'
import { generateEntropy, type MnemonicLength } from './entropy.ts'
import { deriveEvmPrivateKey, EVM_DERIVATION_PATH } from './evmAccount.ts'
import { evmAddressFromPrivateKey, type EvmAddress } from './evmAddress.ts'
import { generateIdentityKey, type IdentityKey } from './identityKey.ts'
import { entropyToMnemonic, mnemonicToEntropy } from './mnemonic.ts'
import { seedFromNormalizedMnemonic } from './seed.ts'
import { deriveSolanaSecretKey, SOLANA_DERIVATION_PATH, solanaPublicKeyFromSecretKey } from './solanaAccount.ts'
import { base58 } from '@scure/base'

/** A user's EVM account: the private key, the address derived from it once, and its HD path (null for a key imported bare). */
export type EvmAccountMaterial = { privateKey: Uint8Array; address: string; path: string | null }
/** A user's Solana account: the 32-byte Ed25519 seed, its address, and its HD path (null for a key imported bare). */
export type SolanaAccountMaterial = { secretKey: Uint8Array; address: string; path: string | null; publicKey?: Uint8Array }

/**
 * Everything a user's wallet is made of — generated, imported or brought over from a legacy
 * database: the mnemonic entropy (null for keys imported bare), the accounts with their derivation
 * paths (Solana may be absent for a legacy user) and the independent identity key. The one type
 * the vault seals and stores.
 */
export interface WalletMaterial {
  entropy: Uint8Array | null
  evm: EvmAccountMaterial
  solana: SolanaAccountMaterial | null
  identity: { privateKey: Uint8Array; publicKey: Uint8Array }
}

/** Material derived from a mnemonic: entropy, both accounts at their paths, the Solana public key. */
export interface DerivedWalletMaterial extends WalletMaterial {
  entropy: Uint8Array
  evm: { privateKey: Uint8Array; address: EvmAddress; path: typeof EVM_DERIVATION_PATH }
  solana: { secretKey: Uint8Array; publicKey: Uint8Array; address: string; path: typeof SOLANA_DERIVATION_PATH }
}

export interface CreateWalletOptions {
  words: MnemonicLength
}

function addressMismatch(chain: string): CoffreError {
  return new CoffreError('COFFRE_ADDRESS_MISMATCH', `the ${chain} key does not re-derive the derived address`, {
    details: { chain },
  })
}

/** Throws COFFRE_ADDRESS_MISMATCH unless every key re-derives its address. */
export function verifyWalletMaterial(material: DerivedWalletMaterial): void {
  if (evmAddressFromPrivateKey(material.evm.privateKey) !== material.evm.address) throw addressMismatch('evm')
  const solanaPublicKey = solanaPublicKeyFromSecretKey(material.solana.secretKey)
  if (
    material.solana.publicKey.length !== 32 ||
    !timingSafeEqual(solanaPublicKey, material.solana.publicKey) ||
    base58.encode(solanaPublicKey) !== material.solana.address
  ) {
    throw addressMismatch('solana')
  }
}

/** Derives the wallet of `entropy` (copied; the caller keeps and wipes its own buffer). */
export function walletMaterialFromEntropy(entropy: Uint8Array): DerivedWalletMaterial {
  assertBytes(entropy, 'entropy', 16, 20, 24, 28, 32)
  const seed = seedFromNormalizedMnemonic(entropyToMnemonic(entropy))
  const entropyCopy = Uint8Array.from(entropy)
  let evmPrivateKey: Uint8Array | undefined
  let solanaSecretKey: Uint8Array | undefined
  let identity: IdentityKey | undefined
  try {
    evmPrivateKey = deriveEvmPrivateKey(seed)
    solanaSecretKey = deriveSolanaSecretKey(seed)
    identity = generateIdentityKey()
    // Last: addresses from the final buffers (nothing below allocates a secret or wipes one).
    const solanaPublicKey = solanaPublicKeyFromSecretKey(solanaSecretKey)
    return {
      entropy: entropyCopy,
      evm: { privateKey: evmPrivateKey, address: evmAddressFromPrivateKey(evmPrivateKey), path: EVM_DERIVATION_PATH },
      solana: { secretKey: solanaSecretKey, publicKey: solanaPublicKey, address: base58.encode(solanaPublicKey), path: SOLANA_DERIVATION_PATH },
      identity,
    }
  } catch (error) {
    entropyCopy.fill(0)
    evmPrivateKey?.fill(0)
    solanaSecretKey?.fill(0)
    identity?.privateKey.fill(0)
    throw error
  } finally {
    seed.fill(0)
  }
}

export function createWalletMaterial(options: CreateWalletOptions): DerivedWalletMaterial {
  const entropy = generateEntropy(options.words)
  try {
    return walletMaterialFromEntropy(entropy)
  } finally {
    entropy.fill(0)
  }
}

/** Wallet of an imported mnemonic (validated: words, count, checksum); a fresh identity key. */
export function walletMaterialFromMnemonic(mnemonic: string): DerivedWalletMaterial {
  const entropy = mnemonicToEntropy(mnemonic)
  try {
    return walletMaterialFromEntropy(entropy)
  } finally {
    entropy.fill(0)
  }
}

/** Zeroes every secret buffer of the material (entropy and the three private keys). */
export function wipeWalletMaterial(material: WalletMaterial): void {
  material.entropy?.fill(0)
  material.evm.privateKey.fill(0)
  material.solana?.secretKey.fill(0)
  material.identity.privateKey.fill(0)
}
