/**
 * `$user.<field>` values, normalised like policy constants (EVM addresses lowercase). The
 * Polymarket proxy and Safe wallets are derived from the user's Polygon address when the vault
 * does not supply them (CREATE2, polymarket/walletAddresses.ts), memoised across requests.
 */
import { LRUCache } from 'lru-cache'
import { proxyWalletAddress, safeWalletAddress } from '../../polymarket/walletAddresses.ts'
import type { PolicyUser, UserField } from '../policyUser.ts'

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/
const normalise = (value: string) => (EVM_ADDRESS.test(value) ? value.toLowerCase() : value)
const derived = new LRUCache<string, string>({ max: 10_000 })
const NONE = ''

function derive(kind: 'proxy' | 'safe', eoa: string | undefined, chainId: number): string | undefined {
  if (eoa === undefined || (chainId !== 137 && chainId !== 80002)) return undefined
  const key = `${kind}:${chainId}:${eoa.toLowerCase()}`
  let value = derived.get(key)
  if (value === undefined) {
    try {
      value = (kind === 'proxy' ? proxyWalletAddress(eoa, chainId) : safeWalletAddress(eoa, chainId)).toLowerCase()
    } catch {
      value = NONE
    }
    derived.set(key, value)
  }
  return value === NONE ? undefined : value
}

/** The values of one field; `chainId` picks the Polymarket factories for derived wallets (137 by default). */
export function userFieldValues(user: PolicyUser, field: UserField, chainId: number | undefined): readonly string[] {
  const one = (value: string | undefined) => (typeof value === 'string' && value !== '' ? [normalise(value)] : [])
  switch (field) {
    case 'withdrawalAllowlist':
      return Array.isArray(user.withdrawalAllowlist) ? user.withdrawalAllowlist.filter((v) => typeof v === 'string').map(normalise) : []
    case 'proxyWallet':
      return one(user.proxyWallet ?? derive('proxy', user.polygonAddress, chainId ?? 137))
    case 'safeWallet':
      return one(user.safeWallet ?? derive('safe', user.polygonAddress, chainId ?? 137))
    default:
      return one(user[field])
  }
}
