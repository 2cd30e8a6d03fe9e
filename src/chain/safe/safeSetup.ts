/**
 * The initializer a new Safe proxy is created with: `setup(owners, threshold, 0x0, 0x, fallbackHandler,
 * 0x0, 0, 0x0)` — no setup call, no deployment payment. Owners are checked here as the Safe would
 * (distinct, not 0x0 or the sentinel 0x1, 1 ≤ threshold ≤ owners) so a bad configuration is a typed
 * refusal before any transaction, not a revert after gas.
 */
import { encodeFunctionData, getAddress, isAddress, zeroAddress, type Address, type Hex } from 'viem'
import { invalidInput } from '../../errors.ts'
import { safeAbi } from './safeAbi.ts'

export const MAX_SAFE_OWNERS = 32
const SENTINEL = '0x0000000000000000000000000000000000000001'

export type SafeSetup = {
  readonly owners: readonly string[]
  readonly threshold: number
  readonly fallbackHandler: string
}

export function checkSafeOwners(owners: readonly unknown[], threshold: unknown): Address[] {
  if (!Array.isArray(owners) || owners.length === 0 || owners.length > MAX_SAFE_OWNERS) throw invalidInput(`owners must list 1 to ${MAX_SAFE_OWNERS} addresses`, { field: 'owners' })
  const checked = owners.map((owner, i) => {
    if (typeof owner !== 'string' || !isAddress(owner, { strict: false })) throw invalidInput(`owners[${i}] is not an EVM address`, { field: 'owners' })
    const address = getAddress(owner)
    if (address === zeroAddress || address.toLowerCase() === SENTINEL) throw invalidInput(`owners[${i}] cannot be 0x0 or 0x1`, { field: 'owners' })
    return address
  })
  if (new Set(checked).size !== checked.length) throw invalidInput('owners must be distinct', { field: 'owners' })
  if (!Number.isInteger(threshold) || (threshold as number) < 1 || (threshold as number) > checked.length) {
    throw invalidInput(`threshold must be an integer from 1 to ${checked.length}`, { field: 'threshold' })
  }
  return checked
}

export function encodeSafeSetup(setup: SafeSetup): Hex {
  const owners = checkSafeOwners(setup.owners, setup.threshold)
  if (typeof setup.fallbackHandler !== 'string' || !isAddress(setup.fallbackHandler, { strict: false })) throw invalidInput('fallbackHandler must be an EVM address', { field: 'fallbackHandler' })
  return encodeFunctionData({
    abi: safeAbi,
    functionName: 'setup',
    args: [owners, BigInt(setup.threshold), zeroAddress, '0x', getAddress(setup.fallbackHandler), zeroAddress, 0n, zeroAddress],
  })
}
