/**
 * Addresses of a signer's Polymarket proxy wallet and Gnosis Safe, computed with CREATE2
 * exactly as the official clients do: salt = keccak256(address as 20 packed bytes) for the
 * proxy factory, keccak256(abi.encode(address)) for the Safe factory.
 */
import { encodeAbiParameters, getAddress, getCreate2Address, isAddress, keccak256 } from 'viem'
import { CoffreError, invalidInput } from '../errors.ts'
import { chainContracts, PROXY_INIT_CODE_HASH, SAFE_INIT_CODE_HASH, type Address } from './contracts.ts'

function checkSigner(signer: unknown): Address {
  if (typeof signer !== 'string' || !isAddress(signer, { strict: false })) throw invalidInput('signer must be an EVM address')
  return getAddress(signer)
}

export function proxyWalletAddress(signer: string, chainId: number): Address {
  const address = checkSigner(signer)
  const factory = chainContracts(chainId).proxyFactory
  if (factory === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'Polymarket proxy wallets do not exist on this chain', { details: { chainId } })
  return getCreate2Address({ from: factory, salt: keccak256(address), bytecodeHash: PROXY_INIT_CODE_HASH })
}

export function safeWalletAddress(signer: string, chainId: number): Address {
  const address = checkSigner(signer)
  const factory = chainContracts(chainId).safeFactory
  const salt = keccak256(encodeAbiParameters([{ type: 'address' }], [address]))
  return getCreate2Address({ from: factory, salt, bytecodeHash: SAFE_INIT_CODE_HASH })
}
