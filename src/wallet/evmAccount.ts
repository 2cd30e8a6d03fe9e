/**
 * The Polygon/EVM account of a BIP-39 seed, at MetaMask's first account m/44'/60'/0'/0/0
 * (BIP-32 over node:crypto HMAC and libsecp256k1, see hdDerivationSecp256k1.ts).
 */
import { assertBytes } from './assertBytes.ts'
import { evmAddressFromPrivateKey, type EvmAddress } from './evmAddress.ts'
import { deriveBip32Secp256k1 } from './hdDerivationSecp256k1.ts'

export const EVM_DERIVATION_PATH = "m/44'/60'/0'/0/0"

export interface EvmAccount {
  privateKey: Uint8Array
  address: EvmAddress
}

/** The private key at m/44'/60'/0'/0/0 alone; the caller wipes it. */
export function deriveEvmPrivateKey(seed: Uint8Array): Uint8Array {
  assertBytes(seed, 'seed', 16, 32, 64)
  const { privateKey, chainCode } = deriveBip32Secp256k1(seed, EVM_DERIVATION_PATH)
  chainCode.fill(0)
  return privateKey
}

export function deriveEvmAccount(seed: Uint8Array): EvmAccount {
  const privateKey = deriveEvmPrivateKey(seed)
  try {
    return { privateKey, address: evmAddressFromPrivateKey(privateKey) }
  } catch (error) {
    privateKey.fill(0)
    throw error
  }
}
