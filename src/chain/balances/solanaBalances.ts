/**
 * SOL and SPL USDC balances of many Solana addresses: each owner's system account and its USDC
 * associated token account are fetched together with getMultipleAccounts (one call per 50
 * owners, so each owner's two figures come from one slot). Every balance carries the slot it was
 * read at; later chunks ask for at least the first chunk's slot (minContextSlot).
 * USDC held outside the associated token account is not counted.
 */
import { findAssociatedTokenPda, getTokenDecoder, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { address, isAddress, type Address, type Base64EncodedBytes } from '@solana/kit'
import { invalidInput } from '../../errors.ts'
import type { SolanaChain } from '../rpc/solanaRpc.ts'
import { rpcCall } from '../rpc/rpcError.ts'

export type SolanaBalance = Readonly<{ address: Address; sol: bigint; usdc: bigint; usdcAccount: Address; slot: bigint }>
export type SolanaBalances = Readonly<{ slot: bigint; balances: readonly SolanaBalance[] }>

const OWNERS_PER_CALL = 50
const tokenDecoder = getTokenDecoder()

export function checkSolanaAddress(value: unknown): Address {
  if (typeof value !== 'string' || !isAddress(value)) throw invalidInput('expected a Solana address', { address: String(value) })
  return address(value)
}

export async function usdcAccountOf(owner: Address, mint: Address): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS })
  return ata
}

type AccountInfo = { lamports: bigint; owner: Address; data: readonly [Base64EncodedBytes, 'base64'] } | null

function tokenAmount(account: AccountInfo, owner: Address, mint: Address): bigint {
  if (account === null || account.owner !== TOKEN_PROGRAM_ADDRESS) return 0n
  const bytes = Buffer.from(account.data[0], 'base64')
  if (bytes.length < 165) return 0n
  const token = tokenDecoder.decode(new Uint8Array(bytes.subarray(0, 165)))
  return token.mint === mint && token.owner === owner ? token.amount : 0n
}

export async function readSolanaBalances(solana: Pick<SolanaChain, 'rpc' | 'config'>, owners: readonly string[]): Promise<SolanaBalances> {
  const checked = owners.map(checkSolanaAddress)
  const mint = address(solana.config.usdcMint)
  const tokenAccounts = await Promise.all(checked.map((owner) => usdcAccountOf(owner, mint)))
  if (checked.length === 0) {
    const slot = await rpcCall('solana', 'getSlot', () => solana.rpc.getSlot({ commitment: solana.config.commitment }).send())
    return Object.freeze({ slot, balances: [] })
  }
  const balances: SolanaBalance[] = []
  let firstSlot: bigint | undefined
  for (let start = 0; start < checked.length; start += OWNERS_PER_CALL) {
    const chunk = checked.slice(start, start + OWNERS_PER_CALL)
    const keys = chunk.flatMap((owner, i) => [owner, tokenAccounts[start + i]!])
    const reply = await rpcCall('solana', 'getMultipleAccounts', () =>
      solana.rpc
        .getMultipleAccounts(keys, { encoding: 'base64', commitment: solana.config.commitment, ...(firstSlot === undefined ? {} : { minContextSlot: firstSlot }) })
        .send(),
    )
    firstSlot ??= reply.context.slot
    chunk.forEach((owner, i) => {
      const system = reply.value[2 * i] as AccountInfo | undefined
      const token = reply.value[2 * i + 1] as AccountInfo | undefined
      balances.push(
        Object.freeze({ address: owner, sol: system?.lamports ?? 0n, usdc: tokenAmount(token ?? null, owner, mint), usdcAccount: tokenAccounts[start + i]!, slot: reply.context.slot }),
      )
    })
  }
  return Object.freeze({ slot: firstSlot!, balances: Object.freeze(balances) })
}
