/**
 * One step of Solana deposit scanning over many owners, cheap when little happens:
 * 1. each owner's wallet and USDC token account are read with getMultipleAccounts
 *    (readSolanaBalances); an account whose balance equals the checkpoint's is skipped;
 * 2. a changed (or unknown, or forced) account's new signatures are listed with
 *    getSignaturesForAddress(until = last processed signature), paging back with `before`;
 * 3. each new successful transaction is read once (getTransaction) and its balance changes for
 *    the owner become deposits (solanaTransactionDeposits.ts): SOL ones from the wallet's list,
 *    SPL ones from the token account's list.
 * The balance gate misses nothing as long as only Coffre spends from these accounts and forces a
 * rescan of an account after it sends from it (an incoming and an equal outgoing transfer between
 * two steps leave the balance unchanged). The caller stores deposits and checkpoints together.
 */
import { address, type Address, type Signature } from '@solana/kit'
import { chainError } from '../chainErrors.ts'
import type { SolanaChain } from '../rpc/solanaRpc.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import { checkSolanaAddress, readSolanaBalances } from '../balances/solanaBalances.ts'
import type { SolanaAccountCheckpoint, SolanaDeposit } from '../../store/chain/solanaDeposit.ts'
import { solanaTransactionDeposits, type SolanaTransactionJson } from './solanaTransactionDeposits.ts'

const SIGNATURES_PER_PAGE = 1_000

export type SolanaScanResult = Readonly<{
  deposits: readonly SolanaDeposit[]
  /** New checkpoints of the accounts whose state moved (wallet and token account addresses). */
  checkpoints: ReadonlyMap<string, SolanaAccountCheckpoint>
  /** Slot of the balance reads. */
  slot: bigint
}>

type Watched = { owner: Address; account: Address; kind: 'SOL' | 'token'; balance: bigint; slot: bigint }

/** Signatures newer than `until`, newest first, all pages. */
async function newSignatures(solana: Pick<SolanaChain, 'rpc' | 'config'>, account: Address, until: string | null): Promise<{ signature: string; slot: bigint; failed: boolean }[]> {
  const found: { signature: string; slot: bigint; failed: boolean }[] = []
  let before: string | undefined
  for (;;) {
    const page = await rpcCall('solana', 'getSignaturesForAddress', () =>
      solana.rpc
        .getSignaturesForAddress(account, {
          commitment: solana.config.commitment,
          limit: SIGNATURES_PER_PAGE,
          ...(until === null ? {} : { until: until as Signature }),
          ...(before === undefined ? {} : { before: before as Signature }),
        })
        .send(),
    )
    for (const entry of page) found.push({ signature: entry.signature, slot: entry.slot, failed: entry.err !== null })
    if (page.length < SIGNATURES_PER_PAGE) return found
    before = page.at(-1)!.signature
  }
}

export async function scanSolanaDeposits(
  solana: Pick<SolanaChain, 'rpc' | 'config'>,
  ownerList: readonly string[],
  checkpoints: ReadonlyMap<string, SolanaAccountCheckpoint>,
  options: { force?: ReadonlySet<string> } = {},
): Promise<SolanaScanResult> {
  const owners = ownerList.map(checkSolanaAddress)
  const mint = address(solana.config.usdcMint)
  const read = await readSolanaBalances(solana, owners)
  const slot = read.slot
  const watched: Watched[] = read.balances.flatMap((b) => [
    { owner: b.address, account: b.address, kind: 'SOL' as const, balance: b.sol, slot: b.slot },
    { owner: b.address, account: b.usdcAccount, kind: 'token' as const, balance: b.usdc, slot: b.slot },
  ])
  const next = new Map<string, SolanaAccountCheckpoint>()
  const transactions = new Map<string, SolanaTransactionJson>()
  const deposits: SolanaDeposit[] = []
  for (const item of watched) {
    const saved = checkpoints.get(item.account)
    if (saved !== undefined && saved.balance === item.balance && options.force?.has(item.account) !== true && options.force?.has(item.owner) !== true) continue
    const signatures = await newSignatures(solana, item.account, saved?.lastSignature ?? null)
    // Balance and signatures are consistent only if nothing landed after the balance was read.
    const stale = signatures.some((s) => s.slot > item.slot)
    next.set(item.account, { lastSignature: signatures[0]?.signature ?? saved?.lastSignature ?? null, balance: stale ? null : item.balance })
    // A wallet's list yields its SOL deposits, a token account's list its SPL deposits: each
    // deposit comes from exactly one list, even when a transaction touches both accounts.
    for (const { signature, failed } of [...signatures].reverse()) {
      if (failed) continue
      let tx = transactions.get(signature)
      if (tx === undefined) {
        const fetched = await rpcCall('solana', 'getTransaction', () =>
          solana.rpc.getTransaction(signature as Signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: solana.config.commitment }).send(),
        )
        if (fetched === null) throw chainError('rpc-failed', `solana RPC listed transaction ${signature} but does not return it`, { details: { chain: 'solana' } })
        tx = fetched as unknown as SolanaTransactionJson
        transactions.set(signature, tx)
      }
      deposits.push(...solanaTransactionDeposits(tx, item.owner, mint).filter((d) => (d.asset === 'SOL') === (item.kind === 'SOL')))
    }
  }
  return { deposits, checkpoints: next, slot }
}
