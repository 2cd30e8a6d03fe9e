/**
 * The durable Solana transaction outbox's storage contract (SQL: src/store/chain/solanaOutboxStore.ts).
 * A request id owns one row. Its current attempt (signature, signed wire bytes, last valid block
 * height) is stored before it is sent; it is resent as is until it is confirmed, fails, or its
 * blockhash expires — only then, when it provably can never land, is it rebuilt with a new one.
 */
export type SolanaTxState = 'pending' | 'sent' | 'confirmed' | 'failed'

export type SolanaOutboxTx = Readonly<{
  id: string
  from: string
  /** JSON of the SolanaIntent. */
  intent: string
  intentHash: string
  signature: string | null
  /** base64 of the signed wire transaction. */
  wire: string | null
  lastValidBlockHeight: bigint | null
  state: SolanaTxState
  attempts: number
  rebuilds: number
  nextAttemptAt: number
  slot: bigint | null
  lastError: string | null
  createdAt: number
  updatedAt: number
}>

export type SolanaAttempt = Readonly<{ signature: string; wire: string; lastValidBlockHeight: bigint }>
export type SolanaTxPatch = Partial<Pick<SolanaOutboxTx, 'state' | 'nextAttemptAt' | 'slot' | 'lastError'>>

export interface SolanaOutboxStore {
  /** Inserts a `pending` row; an existing id is returned untouched with inserted = false. */
  insert(tx: { id: string; from: string; intent: string; intentHash: string; now: number; nextAttemptAt: number }): Promise<{ inserted: boolean; tx: SolanaOutboxTx }>
  /**
   * Stores a new signed attempt if the current one is still `expected` (null for the first), so
   * two workers cannot both rebuild; `rebuild` counts a replacement of an expired attempt.
   */
  recordAttempt(id: string, expected: string | null, attempt: SolanaAttempt, args: { rebuild: boolean; now: number; nextAttemptAt: number }): Promise<boolean>
  transition(id: string, from: readonly SolanaTxState[], patch: SolanaTxPatch, now: number): Promise<boolean>
  claimDue(args: { now: number; limit: number; leaseMs: number }): Promise<SolanaOutboxTx[]>
  get(id: string): Promise<SolanaOutboxTx | undefined>
}
