/**
 * What enabling integrity on an existing vault refuses to authenticate: rows that are already
 * inconsistent by their shape alone (a wallet without its user, an address that is not one, an
 * identity key that is not a compressed secp256k1 point, two active data keys, a token whose scopes
 * do not parse). Returns one line per bad row; an empty list means every row may be MAC'd.
 * Address re-derivation from the decrypted key stays `doctor`'s (check `wallets`).
 */
import { base58 } from '@scure/base'
import { getAddress } from 'viem'
import type { AuthenticatedTable, StoredRow } from '../../store/rowMacs.ts'
import { rowName } from './rowFields.ts'

const COMPRESSED_KEY = /^0[23][0-9a-f]{64}$/
const DATA_KEY_STATES = new Set(['active', 'decrypt-only', 'retired'])

export function structuralProblems(rows: Readonly<Record<AuthenticatedTable, readonly StoredRow[]>>): string[] {
  const problems: string[] = []
  const bad = (table: AuthenticatedTable, row: StoredRow, why: string) => problems.push(`${rowName(table, row)}: ${why}`)
  const userIds = new Set(rows.users.map((u) => String(u.id)))
  for (const user of rows.users) {
    const telegramId = Number(user.telegram_user_id)
    if (!Number.isSafeInteger(telegramId) || telegramId <= 0) bad('users', user, 'telegram id is not a positive integer')
    if (typeof user.identity_public_key !== 'string' || !COMPRESSED_KEY.test(user.identity_public_key)) bad('users', user, 'identity public key is not a compressed secp256k1 key')
  }
  const chains = new Map<string, Set<string>>()
  for (const wallet of rows.wallets) {
    const userId = String(wallet.user_id)
    if (!userIds.has(userId)) bad('wallets', wallet, 'its user does not exist')
    const seen = chains.get(userId) ?? new Set<string>()
    if (seen.has(String(wallet.chain))) bad('wallets', wallet, 'a second wallet on the same chain')
    seen.add(String(wallet.chain))
    chains.set(userId, seen)
    const problem = addressProblem(String(wallet.chain), wallet.address)
    if (problem !== undefined) bad('wallets', wallet, problem)
  }
  for (const token of rows.api_tokens) {
    if (typeof token.token_hash !== 'string' || !/^[0-9a-f]{64}$/.test(token.token_hash)) bad('api_tokens', token, 'token hash is not a SHA-256')
    if (!scopesParse(token.scopes)) bad('api_tokens', token, 'scopes are not a JSON array of names')
  }
  let active = 0
  for (const key of rows.data_keys) {
    if (!DATA_KEY_STATES.has(String(key.state))) bad('data_keys', key, `unknown state ${String(key.state)}`)
    if (key.state === 'active' && ++active > 1) bad('data_keys', key, 'a second active data key')
  }
  for (const derived of rows.derived_public_keys) {
    if (!userIds.has(String(derived.user_id))) bad('derived_public_keys', derived, 'its user does not exist')
    if (typeof derived.public_key !== 'string' || !COMPRESSED_KEY.test(derived.public_key)) bad('derived_public_keys', derived, 'not a compressed secp256k1 key')
  }
  for (const pair of rows.pairs) {
    if (pair.public_key !== null && (typeof pair.public_key !== 'string' || !COMPRESSED_KEY.test(pair.public_key))) bad('pairs', pair, 'main key is not a compressed secp256k1 key')
    if (pair.user_id !== null && !userIds.has(String(pair.user_id))) bad('pairs', pair, 'its user does not exist')
  }
  for (const key of rows.pair_public_keys) {
    if (typeof key.public_key !== 'string' || !COMPRESSED_KEY.test(key.public_key)) bad('pair_public_keys', key, 'not a compressed secp256k1 key')
  }
  return problems
}

function addressProblem(chain: string, address: unknown): string | undefined {
  if (typeof address !== 'string') return 'address missing'
  if (chain === 'polygon') {
    try {
      return getAddress(address) === address ? undefined : 'address is not in its EIP-55 form'
    } catch {
      return 'address is not an EVM address'
    }
  }
  if (chain === 'solana') {
    try {
      return base58.decode(address).length === 32 ? undefined : 'address is not 32 bytes'
    } catch {
      return 'address is not base58'
    }
  }
  return `unknown chain ${chain}`
}

function scopesParse(scopes: unknown): boolean {
  try {
    const parsed: unknown = JSON.parse(String(scopes))
    return Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')
  } catch {
    return false
  }
}
