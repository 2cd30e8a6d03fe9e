/**
 * One request being evaluated: the request, the user, the clock, and its decoded views, each
 * decoded at most once and only when a condition asks for it (a policy that looks at `to`
 * never decodes calldata). A view that cannot be decoded throws Undecodable at every ask.
 */
import { decodeClobAuth, type ClobAuthView } from '../decode/clobAuth.ts'
import { decodeEvmTransaction, type EvmTransactionView } from '../decode/evmTransaction.ts'
import { decodePermit, type PermitView } from '../decode/permit.ts'
import { orderFromRoute, orderFromTypedData, type PolymarketOrderView } from '../decode/polymarketOrder.ts'
import { decodeSolanaTransaction, type SolanaTransactionView } from '../decode/solanaTransaction.ts'
import { decodeApprovalForAll, decodeErc20Call, type ApprovalForAllCall, type Erc20Call } from '../decode/tokenCall.ts'
import { decodeTypedData, type TypedDataView } from '../decode/typedData.ts'
import { undecodable } from '../decode/undecodable.ts'
import { decodeApproval, decodeWithdrawal, type ApprovalView, type WithdrawalView } from '../decode/withdrawal.ts'
import { MAX_PATTERN_INPUT } from '../messagePattern.ts'
import type { PolicyUser, UserField } from '../policyUser.ts'
import type { PolicyRequest } from '../request.ts'
import { userFieldValues } from './userValues.ts'

const UNSET = Symbol('unset')
type Memo<T> = T | typeof UNSET
const utf8 = new TextDecoder('utf-8', { fatal: true })

export class RequestContext {
  readonly request: PolicyRequest
  readonly user: PolicyUser
  readonly now: number
  #evmTx: Memo<EvmTransactionView> = UNSET
  #erc20: Memo<Erc20Call | null> = UNSET
  #approvalForAll: Memo<ApprovalForAllCall | null> = UNSET
  #typedData: Memo<TypedDataView> = UNSET
  #order: Memo<PolymarketOrderView | null> = UNSET
  #permit: Memo<PermitView | null> = UNSET
  #clobAuth: Memo<ClobAuthView | null> = UNSET
  #solana: Memo<SolanaTransactionView> = UNSET
  #withdrawal: Memo<WithdrawalView> = UNSET
  #approval: Memo<ApprovalView> = UNSET
  #text: Memo<string> = UNSET
  #userValues: Map<UserField, readonly string[]> | undefined

  constructor(request: PolicyRequest, user: PolicyUser, now: number) {
    this.request = request
    this.user = user
    this.now = now
  }

  #op<O extends PolicyRequest['operation']>(operation: O): Extract<PolicyRequest, { operation: O }> {
    return this.request.operation === operation ? (this.request as Extract<PolicyRequest, { operation: O }>) : undecodable(`not a ${operation} request`)
  }

  evmTransaction(): EvmTransactionView {
    if (this.#evmTx === UNSET) this.#evmTx = decodeEvmTransaction(this.#op('sign.evm-transaction').transaction)
    return this.#evmTx
  }

  erc20(): Erc20Call | null {
    if (this.#erc20 === UNSET) this.#erc20 = decodeErc20Call(this.evmTransaction())
    return this.#erc20
  }

  approvalForAll(): ApprovalForAllCall | null {
    if (this.#approvalForAll === UNSET) this.#approvalForAll = decodeApprovalForAll(this.evmTransaction())
    return this.#approvalForAll
  }

  typedData(): TypedDataView {
    if (this.#typedData === UNSET) this.#typedData = decodeTypedData(this.#op('sign.typed-data').typedData)
    return this.#typedData
  }

  /** The Polymarket order of a polymarket.order request, or of typed data recognised as one (else null). */
  order(): PolymarketOrderView | null {
    if (this.#order === UNSET) {
      const request = this.request
      if (request.operation === 'polymarket.order') {
        const wallets = { eoa: this.userValues('polygonAddress')[0], proxyWallet: () => this.userValues('proxyWallet')[0], safeWallet: () => this.userValues('safeWallet')[0] }
        this.#order = orderFromRoute(request.order, request.chainId, wallets)
      } else {
        const view = this.typedData()
        this.#order = view.kind === 'polymarket-order' ? orderFromTypedData(view) : null
      }
    }
    return this.#order
  }

  permit(): PermitView | null {
    if (this.#permit === UNSET) this.#permit = decodePermit(this.typedData())
    return this.#permit
  }

  clobAuth(): ClobAuthView | null {
    if (this.#clobAuth === UNSET) this.#clobAuth = decodeClobAuth(this.typedData())
    return this.#clobAuth
  }

  solanaTransaction(): SolanaTransactionView {
    if (this.#solana === UNSET) this.#solana = decodeSolanaTransaction(this.#op('sign.solana-transaction').transaction)
    return this.#solana
  }

  withdrawal(): WithdrawalView {
    if (this.#withdrawal === UNSET) this.#withdrawal = decodeWithdrawal(this.#op('chain.withdrawal').withdrawal)
    return this.#withdrawal
  }

  approval(): ApprovalView {
    if (this.#approval === UNSET) this.#approval = decodeApproval(this.#op('chain.approval').approval)
    return this.#approval
  }

  /** The message as text: UTF-8 (strict) for bytes, capped at MAX_PATTERN_INPUT characters. */
  messageText(): string {
    if (this.#text === UNSET) {
      const request = this.request
      if (request.operation !== 'sign.evm-message' && request.operation !== 'sign.solana-message') return undecodable('not a message request')
      let text: string
      if (typeof request.message === 'string') text = request.message
      else if (request.message instanceof Uint8Array) {
        try {
          text = utf8.decode(request.message)
        } catch {
          return undecodable('the message bytes are not UTF-8 text')
        }
      } else return undecodable('the message is neither text nor bytes')
      if (text.length > MAX_PATTERN_INPUT) return undecodable(`the message is longer than ${MAX_PATTERN_INPUT} characters`)
      this.#text = text
    }
    return this.#text
  }

  /** The chain the request acts on, if it names one. */
  chainId(): number | undefined {
    const request = this.request
    switch (request.operation) {
      case 'sign.evm-transaction': return this.evmTransaction().chainId
      case 'sign.typed-data': {
        const chainId = this.typedData().domain.chainId
        return chainId === undefined || chainId > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(chainId)
      }
      case 'polymarket.order':
      case 'polymarket.credentials': return Number.isSafeInteger(request.chainId) ? request.chainId : undefined
      case 'chain.withdrawal': return this.withdrawal().chainId
      case 'chain.approval': return this.approval().chainId
      default: return undefined
    }
  }

  userValues(field: UserField): readonly string[] {
    this.#userValues ??= new Map()
    let values = this.#userValues.get(field)
    if (values === undefined) {
      const needsChain = field === 'proxyWallet' || field === 'safeWallet'
      let chainId: number | undefined
      if (needsChain) {
        try {
          chainId = this.chainId()
        } catch {
          chainId = undefined
        }
      }
      values = userFieldValues(this.user, field, chainId)
      this.#userValues.set(field, values)
    }
    return values
  }
}
