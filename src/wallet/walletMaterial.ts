/**
 * Everything a new user's wallet is made of: the mnemonic entropy, the EVM and Solana accounts it
 * derives, and an independent identity key. Each address is re-derived from the final private-key
 * buffer before the material is handed out, so a derivation or aliasing bug cannot store an
 * address the key does not control.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'
import { generateEntropy, type MnemonicLength } from './entropy.ts'
import { deriveEvmAccount } from './evmAccount.ts'
import { evmAddressFromPrivateKey, type EvmAddress } from './evmAddress.ts'
import { generateIdentityKey } from './identityKey.ts'
import { entropyToMnemonic, mnemonicToEntropy } from './mnemonic.ts'
import { seedFromNormalizedMnemonic } from './seed.ts'
import { deriveSolanaAccount, solanaPublicKeyFromSecretKey } from './solanaAccount.ts'
import { base58 } from '@scure/base'

export interface WalletMaterial {
  entropy: Uint8Array
  evm: { privateKey: Uint8Array; address: EvmAddress }
  solana: { secretKey: Uint8Array; publicKey: Uint8Array; address: string }
  identity: { privateKey: Uint8Array; publicKey: Uint8Array }
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
export function verifyWalletMaterial(material: WalletMaterial): void {
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
export function walletMaterialFromEntropy(entropy: Uint8Array): WalletMaterial {
  assertBytes(entropy, 'entropy', 16, 20, 24, 28, 32)
  const seed = seedFromNormalizedMnemonic(entropyToMnemonic(entropy))
  try {
    const material: WalletMaterial = {
      entropy: Uint8Array.from(entropy),
      evm: deriveEvmAccount(seed),
      solana: deriveSolanaAccount(seed),
      identity: generateIdentityKey(),
    }
    try {
      verifyWalletMaterial(material)
    } catch (error) {
      wipeWalletMaterial(material)
      throw error
    }
    return material
  } finally {
    seed.fill(0)
  }
}

export function createWalletMaterial(options: CreateWalletOptions): WalletMaterial {
  const entropy = generateEntropy(options.words)
  try {
    return walletMaterialFromEntropy(entropy)
  } finally {
    entropy.fill(0)
  }
}

/** Wallet of an imported mnemonic (validated: words, count, checksum); a fresh identity key. */
export function walletMaterialFromMnemonic(mnemonic: string): WalletMaterial {
  const entropy = mnemonicToEntropy(mnemonic)
  try {
    return walletMaterialFromEntropy(entropy)
  } finally {
    entropy.fill(0)
  }
}

/** Zeroes every secret buffer of the material (entropy and the three private keys). */
export function wipeWalletMaterial(material: WalletMaterial): void {
  material.entropy.fill(0)
  material.evm.privateKey.fill(0)
  material.solana.secretKey.fill(0)
  material.identity.privateKey.fill(0)
}
