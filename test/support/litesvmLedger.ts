/**
 * A ledger around an in-process LiteSVM for the JSON-RPC adapter (litesvmRpc.ts): LiteSVM runs
 * transactions but keeps no slots, statuses, balances history or address index, so this adds
 * them. Every landed transaction takes a new slot; its account balances (lamports and SPL token
 * amounts) are recorded before and after, and it is indexed under every account key, as a real
 * node's getSignaturesForAddress / getTransaction would show it. The one current blockhash lives
 * for 150 slots (lastValidBlockHeight), then LiteSVM expires it.
 * Test controls: `dropNext(n)` accepts the next n transactions but never lands them (a dropped
 * transaction), `advanceSlots(n)` moves time on.
 */
import { getMintDecoder, getTokenDecoder, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { address, getBase58Decoder, getCompiledTransactionMessageDecoder, getTransactionDecoder, lamports, type Address, type Transaction } from '@solana/kit'
import { FailedTransactionMetadata, LiteSVM } from 'litesvm'

const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
const BLOCKHASH_LIFETIME = 150n
/** Stands in for the faucet account that pays real airdrops. */
export const AIRDROP_FAUCET = address('AirdropFaucet1111111111111111111111111111111')

export type TokenBalance = { accountIndex: number; mint: string; owner: string; programId: string; uiTokenAmount: { amount: string; decimals: number; uiAmount: number; uiAmountString: string } }

export type LedgerEntry = {
  signature: string
  slot: bigint
  blockTime: bigint
  err: unknown
  accountKeys: string[]
  header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number }
  instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: null }[]
  recentBlockhash: string
  signatures: string[]
  version: 'legacy' | 0
  preBalances: bigint[]
  postBalances: bigint[]
  preTokenBalances: TokenBalance[]
  postTokenBalances: TokenBalance[]
  logs: string[]
  computeUnits: bigint
}

export type SendOutcome = { signature: string; landed: boolean; err: unknown; logs: string[] }

const base58 = getBase58Decoder()
const transactionDecoder = getTransactionDecoder()
const messageDecoder = getCompiledTransactionMessageDecoder()
const tokenDecoder = getTokenDecoder()
const mintDecoder = getMintDecoder()

const fieldlessErrors = [
  'AccountInUse', 'AccountLoadedTwice', 'AccountNotFound', 'ProgramAccountNotFound', 'InsufficientFundsForFee', 'InvalidAccountForFee',
  'AlreadyProcessed', 'BlockhashNotFound', 'CallChainTooDeep', 'MissingSignatureForFee', 'InvalidAccountIndex', 'SignatureFailure',
  'InvalidProgramForExecution', 'SanitizeFailure', 'ClusterMaintenance', 'AccountBorrowOutstanding', 'WouldExceedMaxBlockCostLimit',
  'UnsupportedVersion', 'InvalidWritableAccount', 'WouldExceedMaxAccountCostLimit', 'WouldExceedAccountDataBlockLimit', 'TooManyAccountLocks',
]

/** LiteSVM's error objects in the JSON shape a Solana node returns (`"BlockhashNotFound"`, `{"InstructionError":[0,{"Custom":1}]}`). */
export function jsonError(err: unknown): unknown {
  if (typeof err === 'number') return fieldlessErrors[err] ?? `TransactionError${err}`
  const e = err as { index?: number; accountIndex?: number; err?: () => unknown }
  if (typeof e.err === 'function' && typeof e.index === 'number') {
    const inner = e.err() as unknown
    const detail = typeof inner === 'object' && inner !== null && 'code' in inner ? { Custom: (inner as { code: number }).code } : typeof inner === 'number' ? `InstructionError${inner}` : String(inner)
    return { InstructionError: [e.index, detail] }
  }
  if (typeof e.accountIndex === 'number') return { InsufficientFundsForRent: { account_index: e.accountIndex } }
  return String(err)
}

/** Errors raised before execution: the transaction never lands (a node drops it). */
const NOT_LANDED = new Set(['AlreadyProcessed', 'BlockhashNotFound', 'SignatureFailure', 'InsufficientFundsForFee', 'AccountNotFound', 'SanitizeFailure', 'MissingSignatureForFee'])

export class LiteSvmLedger {
  readonly svm = new LiteSVM()
  readonly entries = new Map<string, LedgerEntry>()
  readonly byAddress = new Map<string, string[]>()
  slot: bigint
  #blockhashSlot: bigint
  #drop = 0

  constructor() {
    this.slot = this.svm.getClock().slot
    this.#blockhashSlot = this.slot
  }

  latestBlockhash(): { blockhash: string; lastValidBlockHeight: bigint } {
    return { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: this.#blockhashSlot + BLOCKHASH_LIFETIME }
  }

  advanceSlots(count: bigint): void {
    this.slot += count
    const clock = this.svm.getClock()
    clock.slot = this.slot
    clock.unixTimestamp += count * 400n / 1000n
    this.svm.setClock(clock)
    if (this.slot > this.#blockhashSlot + BLOCKHASH_LIFETIME) {
      this.svm.expireBlockhash()
      this.#blockhashSlot = this.slot
    }
  }

  dropNext(count: number): void {
    this.#drop += count
  }

  #tokenBalances(keys: string[]): TokenBalance[] {
    const balances: TokenBalance[] = []
    keys.forEach((key, accountIndex) => {
      const account = this.svm.getAccount(address(key))
      if (!account.exists || (account.programAddress !== TOKEN_PROGRAM_ADDRESS && account.programAddress !== TOKEN_2022) || account.data.length < 165) return
      const token = tokenDecoder.decode(account.data.slice(0, 165))
      const mint = this.svm.getAccount(token.mint)
      const decimals = mint.exists ? mintDecoder.decode(mint.data.slice(0, 82)).decimals : 0
      const text = (Number(token.amount) / 10 ** decimals).toString()
      balances.push({
        accountIndex,
        mint: token.mint,
        owner: token.owner,
        programId: account.programAddress,
        uiTokenAmount: { amount: token.amount.toString(), decimals, uiAmount: Number(text), uiAmountString: text },
      })
    })
    return balances
  }

  #lamports(keys: string[]): bigint[] {
    return keys.map((key) => this.svm.getBalance(address(key)) ?? 0n)
  }

  #record(entry: Omit<LedgerEntry, 'slot' | 'blockTime'>): void {
    this.advanceSlots(1n)
    const full: LedgerEntry = { ...entry, slot: this.slot, blockTime: this.svm.getClock().unixTimestamp }
    this.entries.set(entry.signature, full)
    for (const key of new Set(entry.accountKeys)) {
      const list = this.byAddress.get(key) ?? []
      list.push(entry.signature)
      this.byAddress.set(key, list)
    }
  }

  /** Runs a wire transaction; with preflight a failing transaction is refused and nothing lands. */
  send(wire: Uint8Array, options: { preflight: boolean }): SendOutcome | { preflightError: unknown; logs: string[] } {
    const transaction = transactionDecoder.decode(wire) as Transaction
    const message = messageDecoder.decode(transaction.messageBytes)
    if (message.version === 1) throw new Error('version 1 transactions are not supported by the test adapter')
    if ('addressTableLookups' in message && (message.addressTableLookups?.length ?? 0) > 0) throw new Error('address lookup tables are not supported by the test adapter')
    const signatures = Object.values(transaction.signatures).map((s) => (s === null ? '1'.repeat(64) : base58.decode(s)))
    const signature = signatures[0]!
    if (this.#drop > 0) {
      this.#drop -= 1
      return { signature, landed: false, err: null, logs: [] }
    }
    if (options.preflight) {
      const simulated = this.svm.simulateTransaction(transaction)
      if (simulated instanceof FailedTransactionMetadata) return { preflightError: jsonError(simulated.err()), logs: simulated.meta().logs() }
    }
    const accountKeys = message.staticAccounts.map(String)
    const preBalances = this.#lamports(accountKeys)
    const preTokenBalances = this.#tokenBalances(accountKeys)
    const result = this.svm.sendTransaction(transaction)
    const failed = result instanceof FailedTransactionMetadata
    const err = failed ? jsonError(result.err()) : null
    const meta = failed ? result.meta() : result
    if (failed && typeof err === 'string' && NOT_LANDED.has(err)) return { signature, landed: false, err, logs: meta.logs() }
    this.#record({
      signature,
      err,
      accountKeys,
      header: {
        numRequiredSignatures: message.header.numSignerAccounts,
        numReadonlySignedAccounts: message.header.numReadonlySignerAccounts,
        numReadonlyUnsignedAccounts: message.header.numReadonlyNonSignerAccounts,
      },
      instructions: message.instructions.map((ix) => ({ programIdIndex: ix.programAddressIndex, accounts: [...(ix.accountIndices ?? [])], data: base58.decode(ix.data ?? new Uint8Array()), stackHeight: null })),
      recentBlockhash: message.lifetimeToken,
      signatures,
      version: message.version === 'legacy' ? 'legacy' : 0,
      preBalances,
      postBalances: this.#lamports(accountKeys),
      preTokenBalances,
      postTokenBalances: this.#tokenBalances(accountKeys),
      logs: meta.logs(),
      computeUnits: meta.computeUnitsConsumed(),
    })
    return { signature, landed: true, err, logs: meta.logs() }
  }

  /** An airdrop, recorded as the faucet's system transfer a real cluster would show. */
  airdrop(to: Address, amount: bigint): string {
    const keys = [AIRDROP_FAUCET as string, to as string, '11111111111111111111111111111111']
    const before = this.svm.getBalance(to) ?? 0n
    const result = this.svm.airdrop(to, lamports(amount))
    if (result === null || result instanceof FailedTransactionMetadata) throw new Error('airdrop failed')
    const signature = base58.decode(result.signature())
    const faucetBefore = 1_000_000_000_000_000n
    this.#record({
      signature,
      err: null,
      accountKeys: keys,
      header: { numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 1 },
      instructions: [],
      recentBlockhash: this.svm.latestBlockhash(),
      signatures: [signature],
      version: 'legacy',
      preBalances: [faucetBefore, before, 1n],
      postBalances: [faucetBefore - amount, this.svm.getBalance(to) ?? 0n, 1n],
      preTokenBalances: [],
      postTokenBalances: [],
      logs: [],
      computeUnits: 0n,
    })
    return signature
  }
}
