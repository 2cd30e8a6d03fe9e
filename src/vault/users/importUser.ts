/**
 * Imports an existing wallet: a mnemonic (both chains derived) or a Polygon key (hex, with or
 * without 0x) plus a Solana key (base58 64-byte seed‖pubkey, or the Solana CLI's JSON array).
 * Each key must re-derive the address supplied — and, for a telegram id that already exists, the
 * stored one — or nothing is written.
 */
import { getAddress } from 'viem'
import { CoffreError, invalidInput } from '../../errors.ts'
import { evmAddressFromPrivateKey } from '../../wallet/evmAddress.ts'
import { parseEvmPrivateKey } from '../../wallet/evmKeyText.ts'
import { generateIdentityKey } from '../../wallet/identityKey.ts'
import { parseSolanaSecretKey } from '../../wallet/solanaKeyText.ts'
import { solanaAddressFromSecretKey } from '../../wallet/solanaAccount.ts'
import { walletMaterialFromMnemonic, type SolanaAccountMaterial, type WalletMaterial } from '../../wallet/walletMaterial.ts'
import type { UserWithWallets } from '../../store/users.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import type { CreateUserResult } from './createUser.ts'
import { findUserRows } from './findUser.ts'
import { storeNewUser } from './storeNewUser.ts'
import { toUser } from './user.ts'
import { parseTelegramUserId, parseUsername } from './userInput.ts'

/** An import always has both accounts. */
type ImportedMaterial = WalletMaterial & { readonly solana: SolanaAccountMaterial }

export type ImportUserInput = {
  readonly telegramUserId: number | string
  readonly username?: string | null
  readonly mnemonic?: string
  readonly polygonPrivateKey?: string
  /** base58 of seed‖pubkey, or the Solana CLI JSON array (as text or as numbers). */
  readonly solanaSecretKey?: string | readonly number[]
  readonly polygonAddress?: string
  readonly solanaAddress?: string
}

export async function importUser(ctx: VaultContext, input: ImportUserInput, options: ActionOptions = {}): Promise<CreateUserResult> {
  if (typeof input !== 'object' || input === null) throw invalidInput('import input must be an object')
  const telegramUserId = parseTelegramUserId(input.telegramUserId)
  const username = parseUsername(input.username)
  const { secrets, format } = importedSecrets(input)
  const wipe = () => [secrets.entropy, secrets.evm.privateKey, secrets.solana.secretKey, secrets.identity.privateKey].forEach((b) => b?.fill(0))
  try {
    expectAddress('polygon', input.polygonAddress, secrets.evm.address)
    expectAddress('solana', input.solanaAddress, secrets.solana.address)
    const existing = await findUserRows(ctx, { telegramUserId })
    if (existing !== undefined) return sameWalletOrConflict(existing, secrets)
    for (const address of [secrets.evm.address, secrets.solana.address]) {
      if ((await findUserRows(ctx, { address })) !== undefined) {
        throw new CoffreError('COFFRE_CONFLICT', 'this wallet already belongs to another user; nothing was imported', { details: { address } })
      }
    }
    const user = await storeNewUser(ctx, { telegramUserId, username, origin: 'imported', actor: options.actor ?? DEFAULT_ACTOR, auditDetails: { format } }, secrets)
    if (user !== null) return { user, created: true }
    const winner = await findUserRows(ctx, { telegramUserId })
    if (winner === undefined) throw new CoffreError('COFFRE_STORE_FAILED', 'import conflicted but no user was found')
    return sameWalletOrConflict(winner, secrets)
  } finally {
    wipe()
  }
}

function importedSecrets(input: ImportUserInput): { secrets: ImportedMaterial; format: string } {
  const hasKeys = input.polygonPrivateKey !== undefined || input.solanaSecretKey !== undefined
  if (input.mnemonic !== undefined) {
    if (hasKeys) throw invalidInput('give either a mnemonic or private keys, not both')
    if (typeof input.mnemonic !== 'string') throw invalidInput('mnemonic must be a string')
    return { secrets: walletMaterialFromMnemonic(input.mnemonic), format: 'mnemonic' }
  }
  if (typeof input.polygonPrivateKey !== 'string') throw invalidInput('polygonPrivateKey (hex) is required when no mnemonic is given')
  if (input.solanaSecretKey === undefined) throw invalidInput('solanaSecretKey is required when no mnemonic is given')
  const solanaText = typeof input.solanaSecretKey === 'string' ? input.solanaSecretKey : Array.isArray(input.solanaSecretKey) ? JSON.stringify(input.solanaSecretKey) : undefined
  if (solanaText === undefined) throw invalidInput('solanaSecretKey must be base58 text or a JSON array of 64 numbers')
  const evmKey = parseEvmPrivateKey(input.polygonPrivateKey)
  const solanaKey = parseSolanaSecretKey(solanaText)
  return {
    secrets: {
      entropy: null,
      evm: { privateKey: evmKey, address: evmAddressFromPrivateKey(evmKey), path: null },
      solana: { secretKey: solanaKey, address: solanaAddressFromSecretKey(solanaKey), path: null },
      identity: generateIdentityKey(),
    },
    format: solanaText.trimStart().startsWith('[') ? 'keys:json-array' : 'keys:base58',
  }
}

function expectAddress(chain: 'polygon' | 'solana', supplied: string | undefined, derived: string): void {
  if (supplied === undefined) return
  if (typeof supplied !== 'string') throw invalidInput(`${chain}Address must be a string`)
  const same = chain === 'polygon' ? /^0x[0-9a-fA-F]{40}$/.test(supplied) && getAddress(supplied) === derived : supplied === derived
  if (!same) throw new CoffreError('COFFRE_ADDRESS_MISMATCH', `the ${chain} key does not derive the supplied address`, { details: { chain, supplied, derived } })
}

function sameWalletOrConflict(existing: UserWithWallets, secrets: ImportedMaterial): CreateUserResult {
  const stored = (chain: 'polygon' | 'solana') => existing.wallets.find((w) => w.chain === chain)?.address
  if (stored('polygon') !== secrets.evm.address || stored('solana') !== secrets.solana.address) {
    throw new CoffreError('COFFRE_ADDRESS_MISMATCH', 'this telegram id already has a wallet with other addresses; nothing was imported')
  }
  return { user: toUser(existing.user, existing.wallets), created: false }
}
