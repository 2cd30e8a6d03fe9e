/**
 * The vault's two transaction senders over the durable outboxes (EVM and Solana), made on first
 * use and shared by every on-chain service (withdrawals, Polymarket approvals): each signature is a
 * key use through the vault (vaultSigners.ts).
 */
import { createEvmSender, type EvmSender } from '../../chain/tx/evmSender.ts'
import { createSolanaSender, type SolanaSender } from '../../chain/tx/solana/solanaSender.ts'
import { createSqlEvmOutboxStore } from '../../store/chain/evmOutboxStore.ts'
import { createSqlSolanaOutboxStore } from '../../store/chain/solanaOutboxStore.ts'
import type { VaultContext } from '../context.ts'
import type { ChainConnections } from './chainConnections.ts'
import { vaultEvmSigner, vaultSolanaSigner } from './vaultSigners.ts'

/** Outbox timing: polls and leases (ms), how long a sent EVM transaction may stay unmined before a fee bump. */
export type ChainTuning = Readonly<{ pollMs?: number; leaseMs?: number; stuckAfterMs?: number }>

export type ChainSenders = Readonly<{ evm(): EvmSender; solana(): SolanaSender }>

export function createChainSenders(ctx: VaultContext, chains: ChainConnections, tuning: ChainTuning = {}): ChainSenders {
  const purpose = 'chain.send'
  let evm: EvmSender | undefined
  let sol: SolanaSender | undefined
  return {
    evm: () => (evm ??= createEvmSender({ polygon: chains.polygon(), store: createSqlEvmOutboxStore(ctx.store.db, ctx.store.dialect), signerFor: (address) => vaultEvmSigner(ctx, address, purpose), tuning })),
    solana: () =>
      (sol ??= createSolanaSender({
        solana: chains.solana(),
        store: createSqlSolanaOutboxStore(ctx.store.db, ctx.store.dialect),
        signerFor: (address) => vaultSolanaSigner(ctx, address, purpose),
        tuning: { ...(tuning.pollMs === undefined ? {} : { pollMs: tuning.pollMs }), ...(tuning.leaseMs === undefined ? {} : { leaseMs: tuning.leaseMs }) },
      })),
  }
}
