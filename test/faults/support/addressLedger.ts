/**
 * What the clients of a crashed operation were told, and the check that nothing they were told is
 * lost: every acknowledged user still exists with the addresses it was acknowledged with, every
 * user in the store exports keys (and a mnemonic) that re-derive its addresses with independent
 * libraries (viem/scure-bip32, ed25519-hd-key, @solana/web3.js), and an exported secret never
 * changes from one check to the next (a fingerprint, not the secret, is kept).
 */
import { createHash, pbkdf2Sync } from 'node:crypto'
import { base58 } from '@scure/base'
import { Keypair } from '@solana/web3.js'
import { derivePath } from 'ed25519-hd-key'
import { HDKey, privateKeyToAddress } from 'viem/accounts'
import type { ExportedWallet } from '../../../src/vault/users/exportUser.ts'

export type AcknowledgedUser = { readonly telegramUserId: number; readonly id?: string; readonly polygonAddress: string; readonly solanaAddress: string }

const fingerprint = (w: ExportedWallet) => createHash('sha256').update(`${w.mnemonic ?? ''}|${w.polygonPrivateKey}|${w.solanaSecretKey}`).digest('hex')

export class AddressLedger {
  readonly #acknowledged = new Map<number, AcknowledgedUser>()
  readonly #fingerprints = new Map<string, string>()
  /** Contradictions found while recording (the same telegram id acknowledged with two wallets). */
  readonly conflicts: string[] = []

  /** Records a user as a client saw it (a CLI reply, a library result, an HTTP response). */
  acknowledge(user: AcknowledgedUser): void {
    const telegramUserId = Number(user.telegramUserId)
    const known = this.#acknowledged.get(telegramUserId)
    if (known !== undefined && (known.polygonAddress !== user.polygonAddress || known.solanaAddress !== user.solanaAddress)) {
      this.conflicts.push(`telegram ${telegramUserId} acknowledged as ${known.polygonAddress}/${known.solanaAddress}, later as ${user.polygonAddress}/${user.solanaAddress}`)
      return
    }
    this.#acknowledged.set(telegramUserId, { ...user, telegramUserId })
  }

  get size(): number {
    return this.#acknowledged.size
  }

  acknowledgedIds(): number[] {
    return [...this.#acknowledged.keys()]
  }

  /**
   * Compares the store's users (as exported) with the ledger. Returns one line per lost or
   * inconsistent secret; [] when nothing acknowledged is lost.
   */
  check(exported: ReadonlyMap<number, ExportedWallet>): string[] {
    const lost = [...this.conflicts]
    for (const [telegramUserId, ack] of this.#acknowledged) {
      const wallet = exported.get(telegramUserId)
      if (wallet === undefined) lost.push(`telegram ${telegramUserId}: acknowledged, absent from the store`)
      else if (wallet.polygonAddress !== ack.polygonAddress || wallet.solanaAddress !== ack.solanaAddress) {
        lost.push(`telegram ${telegramUserId}: acknowledged ${ack.polygonAddress}/${ack.solanaAddress}, exports ${wallet.polygonAddress}/${wallet.solanaAddress}`)
      } else if (ack.id !== undefined && ack.id !== wallet.userId) lost.push(`telegram ${telegramUserId}: acknowledged as user ${ack.id}, stored as ${wallet.userId}`)
    }
    for (const [telegramUserId, wallet] of exported) {
      const print = fingerprint(wallet)
      const seen = this.#fingerprints.get(wallet.userId)
      if (seen === print) continue
      if (seen !== undefined) {
        lost.push(`telegram ${telegramUserId}: exported secrets changed since the last check`)
        continue
      }
      lost.push(...rederive(wallet).map((problem) => `telegram ${telegramUserId}: ${problem}`))
      this.#fingerprints.set(wallet.userId, print)
    }
    return lost
  }
}

export type Addresses = { readonly polygonAddress: string; readonly solanaAddress: string }

/** MetaMask's and Phantom's addresses of a mnemonic, derived without Coffre's code. */
export function addressesFromMnemonic(mnemonic: string): Addresses {
  const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512')
  const evmKey = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0/0").privateKey
  if (evmKey === null) throw new Error('no EVM key derived')
  return {
    polygonAddress: privateKeyToAddress(`0x${Buffer.from(evmKey).toString('hex')}`),
    solanaAddress: Keypair.fromSeed(derivePath("m/44'/501'/0'/0'", seed.toString('hex')).key).publicKey.toBase58(),
  }
}

/** The addresses of a Polygon key (0x hex) and a Solana key (base58 of seed‖public key). */
export function addressesFromKeys(polygonPrivateKey: string, solanaSecretKey: string): Addresses {
  return {
    polygonAddress: privateKeyToAddress((polygonPrivateKey.startsWith('0x') ? polygonPrivateKey : `0x${polygonPrivateKey}`) as `0x${string}`),
    solanaAddress: Keypair.fromSecretKey(base58.decode(solanaSecretKey)).publicKey.toBase58(),
  }
}

/** Re-derives both addresses from the exported keys and mnemonic with libraries Coffre does not use. */
function rederive(wallet: ExportedWallet): string[] {
  const problems: string[] = []
  const fromKeys = addressesFromKeys(wallet.polygonPrivateKey, wallet.solanaSecretKey)
  if (fromKeys.polygonAddress !== wallet.polygonAddress) problems.push('the exported Polygon key does not derive the Polygon address')
  if (fromKeys.solanaAddress !== wallet.solanaAddress) problems.push('the exported Solana key does not derive the Solana address')
  if (wallet.mnemonic !== null) {
    const fromMnemonic = addressesFromMnemonic(wallet.mnemonic)
    if (fromMnemonic.polygonAddress !== wallet.polygonAddress) problems.push('the exported mnemonic does not derive the Polygon address')
    if (fromMnemonic.solanaAddress !== wallet.solanaAddress) problems.push('the exported mnemonic does not derive the Solana address')
  }
  return problems
}
