/**
 * vault.chain.withdrawals: a user's funds sent to an outside address. A request is checked
 * (asset, amount, address), authorised once (authorizeWithdrawal.ts, operation `withdrawals`),
 * stored under its request id, then handed to the durable outbox of its chain with the
 * withdrawal's id as the outbox id — so a retried request, a crash or a second instance can never
 * make a second transaction: the outbox owns one nonce (EVM) or one transaction lineage (Solana)
 * per id, stores the signed bytes before broadcast, and rebroadcasts or fee-bumps that same one.
 * `processDue` carries outbox work forward and mirrors its outcome onto the withdrawal, each change
 * with its webhook event (withdrawal.sent / confirmed / failed) in the same transaction.
 */
import { createHash } from 'node:crypto'
import { getAddress, isAddress, type Address } from 'viem'
import { checkSolanaAddress } from '../../chain/balances/solanaBalances.ts'
import { erc20TransferCall, nativeTransferCall, type EvmCall } from '../../chain/tx/evmCalls.ts'
import type { SolanaIntent } from '../../chain/tx/solana/solanaTransfer.ts'
import { CoffreError, invalidInput, isCoffreError } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import { findWithdrawal, findWithdrawalByRequest, insertWithdrawal, listOpenWithdrawals, type WithdrawalRow } from '../../store/chain/withdrawalStore.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { authorizeWithdrawal } from './authorizeWithdrawal.ts'
import type { ChainConnections } from './chainConnections.ts'
import type { ChainSenders } from './chainSenders.ts'
import { syncWithdrawal, withdrawalInfo, type Withdrawal } from './withdrawalProgress.ts'

export type WithdrawalInput = Readonly<{ chain: 'polygon' | 'solana'; asset: string; amount: string; to: string }>
export type WithdrawalOptions = ActionOptions & Readonly<{ /** Idempotency: the same id returns the same withdrawal. */ requestId?: string }>

export const WITHDRAWAL_ASSETS = Object.freeze({ polygon: ['POL', 'pUSD', 'USDC.e'], solana: ['SOL', 'USDC'] } as const)

function checkInput(input: WithdrawalInput): WithdrawalInput {
  if (typeof input !== 'object' || input === null) throw invalidInput('a withdrawal needs chain, asset, amount and to')
  const { chain, asset, amount, to } = input
  if (chain !== 'polygon' && chain !== 'solana') throw invalidInput('chain must be polygon or solana')
  if (!(WITHDRAWAL_ASSETS[chain] as readonly string[]).includes(asset)) throw invalidInput(`asset must be one of ${WITHDRAWAL_ASSETS[chain].join(', ')} on ${chain}`)
  if (typeof amount !== 'string' || !/^[1-9][0-9]{0,77}$/u.test(amount)) throw invalidInput('amount must be a positive integer in base units (decimal string)')
  if (chain === 'solana' && BigInt(amount) >= 2n ** 64n) throw invalidInput('amount must fit in a u64 on Solana')
  if (typeof to !== 'string') throw invalidInput('to must be an address')
  if (chain === 'polygon') {
    if (!isAddress(to, { strict: false })) throw invalidInput('to must be a 20-byte 0x address')
    return { chain, asset, amount, to: getAddress(to) }
  }
  return { chain, asset, amount, to: checkSolanaAddress(to) }
}

export function createWithdrawalService(ctx: VaultContext, chains: ChainConnections, senders: ChainSenders) {
  const evmSender = senders.evm
  const solanaSender = senders.solana

  const evmCall = (row: WithdrawalRow): EvmCall => {
    const { contracts } = chains.polygon().config
    if (row.asset === 'POL') return nativeTransferCall(row.to_address as Address, BigInt(row.amount))
    return erc20TransferCall(row.asset === 'pUSD' ? contracts.pUsd : contracts.usdcE, row.to_address as Address, BigInt(row.amount))
  }
  const solanaIntent = (row: WithdrawalRow): SolanaIntent =>
    row.asset === 'SOL'
      ? { kind: 'sol', to: row.to_address, lamports: BigInt(row.amount) }
      : { kind: 'spl', mint: chains.solana().config.usdcMint, to: row.to_address, amount: BigInt(row.amount), decimals: 6 }

  /** The chain id and asset reference a policy compares (`native`, the ERC-20 contract, the SPL mint). */
  const policyAsset = (request: { chain: 'polygon' | 'solana'; asset: string }): { chainId?: number; assetRef: string } => {
    if (request.chain === 'solana') return { assetRef: request.asset === 'SOL' ? 'native' : chains.solana().config.usdcMint }
    const { chainId, contracts } = chains.polygon().config
    return { chainId, assetRef: request.asset === 'POL' ? 'native' : request.asset === 'pUSD' ? contracts.pUsd : contracts.usdcE }
  }

  /** Hands the row to its outbox (idempotent by id); a refusal before anything was stored fails the withdrawal. */
  async function submit(row: WithdrawalRow): Promise<void> {
    try {
      if (row.chain === 'polygon') await evmSender().submit({ id: row.id, from: row.from_address as Address, call: evmCall(row) })
      else await solanaSender().submit({ id: row.id, from: row.from_address, intent: solanaIntent(row) })
    } catch (error) {
      if (isCoffreError(error) && (error.code === 'COFFRE_CONFLICT' || error.code === 'COFFRE_SIGNING_FAILED')) {
        await syncWithdrawal(ctx, row, { refused: `${error.code}: ${error.message}` })
      }
      throw error
    }
    await syncWithdrawal(ctx, row)
  }

  return {
    async create(ref: UserRef, input: WithdrawalInput, options: WithdrawalOptions = {}): Promise<Withdrawal> {
      const request = checkInput(input)
      if (request.chain === 'polygon') chains.polygon()
      else chains.solana()
      const { user, wallets } = await requireUserRows(ctx, ref)
      const from = wallets.find((w) => w.chain === request.chain)?.address
      if (from === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', `user has no ${request.chain} wallet`)
      const requestId = options.requestId ?? newUuidV7()
      if (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > 300) throw invalidInput('request id must be 1 to 300 characters')
      const requestHash = createHash('sha256').update(JSON.stringify([user.id, request.chain, request.asset, request.amount, request.to])).digest('hex')
      const existing = await findWithdrawalByRequest(ctx.store.db, requestId)
      if (existing !== undefined) {
        if (existing.request_hash !== requestHash) throw new CoffreError('COFFRE_IDEMPOTENCY_MISMATCH', 'this request id was already used for another withdrawal')
        return withdrawalInfo((await findWithdrawal(ctx.store.db, existing.id)) ?? existing)
      }
      await authorizeWithdrawal(ctx, { ...request, ...policyAsset(request), user: { id: user.id, telegramUserId: Number(user.telegram_user_id), address: from } }, options)
      const { inserted, row } = await insertWithdrawal(ctx.store.db, {
        id: newUuidV7(),
        request_id: requestId,
        request_hash: requestHash,
        user_id: user.id,
        chain: request.chain,
        asset: request.asset,
        amount: request.amount,
        from_address: from,
        to_address: request.to,
        created_at: new Date().toISOString(),
      })
      if (row.request_hash !== requestHash) throw new CoffreError('COFFRE_IDEMPOTENCY_MISMATCH', 'this request id was already used for another withdrawal')
      // A concurrent twin stored it first and submits it (its outbox id is this row's id either way).
      if (inserted) await submit(row)
      return withdrawalInfo((await findWithdrawal(ctx.store.db, row.id)) ?? row)
    },

    async get(id: string): Promise<Withdrawal> {
      if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/u.test(id)) throw invalidInput('a withdrawal id is a UUID')
      const row = await findWithdrawal(ctx.store.db, id)
      if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'no such withdrawal')
      return withdrawalInfo(row)
    },

    /** Advances due outbox transactions, then mirrors every open withdrawal's outbox state (with its events). */
    async processDue(options: { limit?: number; resubmitAfterMs?: number } = {}): Promise<number> {
      if (chains.hasPolygon) await evmSender().processDue(options.limit)
      if (chains.hasSolana) await solanaSender().processDue(options.limit)
      const open = await listOpenWithdrawals(ctx.store.db, options.limit ?? 100)
      for (const row of open) {
        const moved = await syncWithdrawal(ctx, row)
        // A withdrawal stored but never handed to its outbox (a crash in between): hand it over again.
        if (moved === 'no-transaction' && Date.now() - Date.parse(row.created_at) >= (options.resubmitAfterMs ?? 30_000)) {
          await submit(row).catch((error: unknown) => ctx.logger.warn({ withdrawalId: row.id, message: error instanceof Error ? error.message : String(error) }, 'withdrawal resubmit failed'))
        }
      }
      return open.length
    },
  }
}

export type WithdrawalService = ReturnType<typeof createWithdrawalService>
