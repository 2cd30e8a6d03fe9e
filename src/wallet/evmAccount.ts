/**
 * The Polygon/EVM account of a BIP-39 seed, at MetaMask's first account m/44'/60'/0'/0/0.
 * Derivation walks the path one level at a time so each intermediate private key and chain code
 * can be wiped as soon as its child exists.
 */
import type { BIP32Interface } from 'bip32'
import { CoffreError } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'
import { evmAddressFromPrivateKey, type EvmAddress } from './evmAddress.ts'
import { nativeBip32 } from './nativeBip32.ts'

export const EVM_DERIVATION_PATH = "m/44'/60'/0'/0/0"
const HARDENED = 0x80000000
const evmPath = [44 + HARDENED, 60 + HARDENED, 0 + HARDENED, 0, 0]

export interface EvmAccount {
  privateKey: Uint8Array
  address: EvmAddress
}

function wipeNode(node: BIP32Interface): void {
  node.privateKey?.fill(0)
  node.chainCode.fill(0)
}

export function deriveEvmAccount(seed: Uint8Array): EvmAccount {
  assertBytes(seed, 'seed', 16, 32, 64)
  let node = nativeBip32.fromSeed(seed)
  for (const index of evmPath) {
    const child = node.derive(index)
    wipeNode(node)
    node = child
  }
  const derived = node.privateKey
  if (derived === undefined) throw new CoffreError('COFFRE_INTERNAL', 'BIP-32 derivation returned no private key')
  const privateKey = Uint8Array.from(derived)
  wipeNode(node)
  return { privateKey, address: evmAddressFromPrivateKey(privateKey) }
}
