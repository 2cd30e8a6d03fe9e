/**
 * One user's wallet material in a single ArrayBuffer of its own, so a worker can transfer it to
 * the main thread (zero copy; the worker's view is detached) and the buffer never holds another
 * user's secrets. Layout: entropy (32, used length in `entropyLength`), EVM private key (32),
 * Solana seed (32), Solana public key (32), identity private key (32), identity public key (33).
 */
import { CoffreError } from '../errors.ts'
import type { EvmAddress } from './evmAddress.ts'
import { EVM_DERIVATION_PATH } from './evmAccount.ts'
import { SOLANA_DERIVATION_PATH } from './solanaAccount.ts'
import type { DerivedWalletMaterial } from './walletMaterial.ts'

export interface PackedWalletMaterial {
  buffer: ArrayBuffer
  entropyLength: number
  evmAddress: EvmAddress
  solanaAddress: string
}

const offsets = { entropy: 0, evmKey: 32, solanaKey: 64, solanaPublic: 96, identityKey: 128, identityPublic: 160 } as const
const packedLength = 193

/** Copies the material into a fresh buffer; the caller wipes the original. */
export function packWalletMaterial(material: DerivedWalletMaterial): PackedWalletMaterial {
  const bytes = new Uint8Array(packedLength)
  bytes.set(material.entropy, offsets.entropy)
  bytes.set(material.evm.privateKey, offsets.evmKey)
  bytes.set(material.solana.secretKey, offsets.solanaKey)
  bytes.set(material.solana.publicKey, offsets.solanaPublic)
  bytes.set(material.identity.privateKey, offsets.identityKey)
  bytes.set(material.identity.publicKey, offsets.identityPublic)
  return {
    buffer: bytes.buffer,
    entropyLength: material.entropy.length,
    evmAddress: material.evm.address,
    solanaAddress: material.solana.address,
  }
}

/** Views into the packed buffer (no copy): wiping the material wipes the buffer's secrets. */
export function unpackWalletMaterial(packed: PackedWalletMaterial): DerivedWalletMaterial {
  if (!(packed.buffer instanceof ArrayBuffer) || packed.buffer.byteLength !== packedLength) {
    throw new CoffreError('COFFRE_INTERNAL', 'a wallet worker returned a malformed result')
  }
  const view = (offset: number, length: number): Uint8Array => new Uint8Array(packed.buffer, offset, length)
  return {
    entropy: view(offsets.entropy, packed.entropyLength),
    evm: { privateKey: view(offsets.evmKey, 32), address: packed.evmAddress, path: EVM_DERIVATION_PATH },
    solana: { secretKey: view(offsets.solanaKey, 32), publicKey: view(offsets.solanaPublic, 32), address: packed.solanaAddress, path: SOLANA_DERIVATION_PATH },
    identity: { privateKey: view(offsets.identityKey, 32), publicKey: view(offsets.identityPublic, 33) },
  }
}
