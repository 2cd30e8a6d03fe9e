/** The client's request and reply types, read from the generated API types (openapi.ts). */
import type { components, paths } from './openapi.ts'

type Method = 'get' | 'post' | 'delete'
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never
type ReplyOf<P extends keyof paths, M extends Method, S extends number = 200> = Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? JsonOf<R[S]> : never) : never
type BodyOf<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never

/** Integers as JSON numbers, decimal or 0x strings, or bigints (sent as decimal strings). */
export type Quantity = string | number | bigint

export type User = components['schemas']['User']
/** A created (or, for an existing telegram id, found) user; `created` is false when it existed. */
export type EnsuredUser = User & { readonly created: boolean }
export type UserPage = ReplyOf<'/v1/users', 'get'>
export type CreateUserInput = BodyOf<'/v1/users', 'post'>
export type ImportUserInput = BodyOf<'/v1/users/import', 'post'>
export type ExportUserInput = BodyOf<'/v1/users/{id}/export', 'post'>
export type ExportEnvelope = ReplyOf<'/v1/users/{id}/export', 'post'>
export type CreateUserBackupInput = BodyOf<'/v1/users/{id}/backup', 'post'>
export type CreatedUserBackup = ReplyOf<'/v1/users/{id}/backup', 'post', 201>
export type RestoreUserBackupInput = BodyOf<'/v1/users/{id}/backup/restore', 'post'>
export type RestoredUserBackup = ReplyOf<'/v1/users/{id}/backup/restore', 'post'>
export type AddGuardiansInput = BodyOf<'/v1/users/{id}/guardians', 'post'>
export type UserGuardians = ReplyOf<'/v1/users/{id}/guardians', 'get'>
export type GuardianRemoval = ReplyOf<'/v1/users/{id}/guardians', 'delete'>
export type RequestRecoveryInput = BodyOf<'/v1/users/{id}/recovery', 'post'>
export type RecoveryRequest = ReplyOf<'/v1/users/{id}/recovery/{requestId}', 'get'>
export type CreateSafeInput = BodyOf<'/v1/users/{id}/safe', 'post'>
export type CreatedSafe = ReplyOf<'/v1/users/{id}/safe', 'post'>
export type SafeProposeInput = BodyOf<'/v1/users/{id}/safe/propose', 'post'>
export type SafeSignInput = BodyOf<'/v1/users/{id}/safe/sign', 'post'>
export type SignedSafeTx = ReplyOf<'/v1/users/{id}/safe/propose', 'post'>
export type ExecuteSafeInput = BodyOf<'/v1/safe/execute', 'post'>
export type SafeExecution = ReplyOf<'/v1/safe/execute', 'post'>

export type Signature = ReplyOf<'/v1/users/{id}/sign/message', 'post'>
export type SignMessageInput = {
  readonly chain: 'polygon' | 'solana'
  /** Text (signed as its UTF-8 bytes), or raw bytes. */
  readonly message: string | Uint8Array
  /** How a string message is to be read: utf8 (default), hex or base64. */
  readonly encoding?: 'utf8' | 'hex' | 'base64'
}
export type TypedDataField = { readonly name: string; readonly type: string }
/** EIP-712 typed data as viem takes it: integers may be bigints, bytes may be Uint8Arrays. */
export type TypedDataInput = {
  readonly domain?: Readonly<Record<string, unknown>>
  readonly types: Readonly<Record<string, readonly TypedDataField[]>>
  readonly primaryType: string
  readonly message?: Readonly<Record<string, unknown>>
}
export type EvmTransactionInput = {
  readonly type?: 'eip1559' | '0x2' | 2
  readonly chainId: Quantity
  readonly nonce: Quantity
  readonly to?: string | null
  readonly value?: Quantity
  readonly data?: string
  readonly gas: Quantity
  readonly maxFeePerGas: Quantity
  readonly maxPriorityFeePerGas: Quantity
  readonly accessList?: readonly { readonly address: string; readonly storageKeys: readonly string[] }[]
}
export type SignedEvmTransaction = ReplyOf<'/v1/users/{id}/sign/evm-transaction', 'post'>
export type SignedSolanaTransaction = ReplyOf<'/v1/users/{id}/sign/solana-transaction', 'post'>

export type DerivedKeyPage = ReplyOf<'/v1/users/{id}/derived-keys', 'get'>
export type DerivedKeyMembership = ReplyOf<'/v1/users/{id}/derived-keys/belongs', 'post'>
export type MembershipInput = BodyOf<'/v1/users/{id}/derived-keys/belongs', 'post'>

export type Pair = ReplyOf<'/v1/pairs/{uuid}', 'get'>
export type PairPage = ReplyOf<'/v1/pairs', 'get'>
export type CreatePairInput = BodyOf<'/v1/pairs', 'post'>

export type PolymarketCredential = ReplyOf<'/v1/users/{id}/polymarket/credentials', 'post'>
export type PolymarketCredentialListing = ReplyOf<'/v1/users/{id}/polymarket/credentials', 'get'>
export type PolymarketRotation = ReplyOf<'/v1/users/{id}/polymarket/credentials/rotate', 'post'>
export type PolymarketOrder = ReplyOf<'/v1/polymarket/orders/{hash}', 'get'>
export type PlaceOrderInput = BodyOf<'/v1/users/{id}/polymarket/orders', 'post'>
export type OrderStatus = PolymarketOrder['status']

export type UserBalances = ReplyOf<'/v1/users/{id}/balances', 'get'>
export type Withdrawal = ReplyOf<'/v1/withdrawals/{id}', 'get'>
export type WithdrawalInput = BodyOf<'/v1/users/{id}/withdrawals', 'post'>
export type ApprovalProgress = ReplyOf<'/v1/users/{id}/polymarket/approvals', 'post', 202>

export type Keyring = ReplyOf<'/v1/keys', 'get'>
export type AuditVerification = ReplyOf<'/v1/audit/verify', 'get'>
export type DoctorReport = ReplyOf<'/v1/doctor', 'get'>

export type StoredPolicy = ReplyOf<'/v1/policies/{name}', 'get'>
export type PolicyList = ReplyOf<'/v1/policies', 'get'>
export type CreatePolicyInput = BodyOf<'/v1/policies', 'post'>
export type EvaluatePolicyInput = BodyOf<'/v1/policies/evaluate', 'post'>
export type PolicyEvaluation = ReplyOf<'/v1/policies/evaluate', 'post'>

/** Options every method takes last. */
export type CallOptions = {
  /** Cancels the call, its retries and their waits. */
  readonly signal?: AbortSignal
  /** POSTs only: the Idempotency-Key to send (default: a random UUID per call, kept across its retries). */
  readonly idempotencyKey?: string
}
