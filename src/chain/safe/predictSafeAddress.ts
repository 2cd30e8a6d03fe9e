/**
 * A Safe's address before it exists, as SafeProxyFactory v1.4.1's createProxyWithNonce computes it:
 * CREATE2 from the factory with salt = keccak256(keccak256(initializer) ‖ uint256(saltNonce)) and
 * init code = proxyCreationCode ‖ uint256(singleton).
 */
import { concat, encodeAbiParameters, getAddress, getCreate2Address, isAddress, isHex, keccak256, type Address, type Hex } from 'viem'
import { invalidInput } from '../../errors.ts'
import { SAFE_PROXY_CREATION_CODE } from './safeDeployments.ts'

export type SafeAddressInput = {
  readonly proxyFactory: string
  readonly singleton: string
  readonly initializer: Hex
  readonly saltNonce: bigint
  /** Default: the v1.4.1 SafeProxy creation code. */
  readonly proxyCreationCode?: Hex
}

export function predictSafeAddress(input: SafeAddressInput): Address {
  const { proxyFactory, singleton, initializer, saltNonce, proxyCreationCode = SAFE_PROXY_CREATION_CODE } = input
  if (!isAddress(proxyFactory, { strict: false }) || !isAddress(singleton, { strict: false })) throw invalidInput('proxyFactory and singleton must be EVM addresses')
  if (!isHex(initializer) || initializer.length % 2 !== 0) throw invalidInput('initializer must be 0x-hex bytes')
  if (typeof saltNonce !== 'bigint' || saltNonce < 0n || saltNonce >= 1n << 256n) throw invalidInput('saltNonce must be a uint256 bigint')
  const salt = keccak256(concat([keccak256(initializer), encodeAbiParameters([{ type: 'uint256' }], [saltNonce])]))
  const bytecode = concat([proxyCreationCode, encodeAbiParameters([{ type: 'address' }], [getAddress(singleton)])])
  return getCreate2Address({ from: getAddress(proxyFactory), salt, bytecode })
}
