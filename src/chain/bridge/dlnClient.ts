/**
 * A client of deBridge's DLN API (https://dln.debridge.finance, docs.debridge.com): quote and
 * create a Solana → Polygon order (GET /v1.0/dln/order/create-tx, which returns the estimation
 * and the Solana transaction the user signs), and track it (GET /v1.0/dln/order/{id}/status,
 * GET /v1.0/dln/tx/{hash}/order-ids). Replies are parsed with zod (unknown fields kept out);
 * failures are COFFRE_UPSTREAM_FAILED. The base URL is configuration (tests use a stand-in).
 * Why DLN: docs/bridge.md.
 */
import { z } from 'zod'
import { CoffreError } from '../../errors.ts'
import { redactUrlsIn } from '../rpc/rpcError.ts'

/** deBridge's internal chain id for Solana (docs: "Fees and Supported Chains"). */
export const DLN_SOLANA_CHAIN_ID = 7565164
/** How DLN names native SOL as a token. */
export const DLN_NATIVE_SOL = '11111111111111111111111111111111'
/** DlnSource, the Solana program that places orders (docs: "Deployed Contracts"). */
export const DLN_SOURCE_PROGRAM = 'src5qyZHqTqecJV4aY6Cb6zDZLMDzrDKKezs22MPHr4'

/** Order states (docs: "Order States"); Fulfilled, SentUnlock and ClaimedUnlock mean delivered. */
export type DlnOrderStatus = 'None' | 'Created' | 'Fulfilled' | 'SentUnlock' | 'OrderCancelled' | 'SentOrderCancel' | 'ClaimedUnlock' | 'ClaimedOrderCancel'
export const DLN_DELIVERED: ReadonlySet<DlnOrderStatus> = new Set(['Fulfilled', 'SentUnlock', 'ClaimedUnlock'])
export const DLN_CANCELLED: ReadonlySet<DlnOrderStatus> = new Set(['OrderCancelled', 'SentOrderCancel', 'ClaimedOrderCancel'])

const amount = z.string().regex(/^[0-9]+$/u).transform((v) => BigInt(v))
const tokenAmount = z.object({ address: z.string(), amount, decimals: z.number().int().optional() })
const estimation = z.object({
  srcChainTokenIn: tokenAmount,
  dstChainTokenOut: tokenAmount.extend({ recommendedAmount: amount.optional() }),
})
const createTxReply = z.object({
  estimation,
  orderId: z.string().regex(/^0x[0-9a-fA-F]{64}$/u).optional(),
  fixFee: amount.optional(),
  tx: z.object({ data: z.string().regex(/^0x([0-9a-fA-F]{2})+$/u) }).optional(),
})
const statusReply = z.object({ orderId: z.string().optional(), status: z.enum(['None', 'Created', 'Fulfilled', 'SentUnlock', 'OrderCancelled', 'SentOrderCancel', 'ClaimedUnlock', 'ClaimedOrderCancel']) })
const orderIdsReply = z.object({ orderIds: z.array(z.string()) })

export type SolanaToEvmOrderRequest = Readonly<{
  /** DLN_NATIVE_SOL or an SPL mint. */
  srcToken: string
  srcAmount: bigint
  dstChainId: number
  dstToken: string
  /** The user's Polygon address: receives the output and may cancel on the destination. */
  recipient: string
  /** The user's Solana address: signs, pays, and gets refunds on cancellation. */
  solanaAuthority: string
}>

export type DlnEstimate = Readonly<{ srcAmount: bigint; dstAmount: bigint; dstRecommendedAmount: bigint | undefined; fixFee: bigint | undefined }>
export type DlnOrder = DlnEstimate & Readonly<{ orderId: string; transaction: Uint8Array }>

export type DlnClient = Readonly<{
  /** Estimation only: no authority addresses are sent, no transaction is returned. */
  quote(request: Omit<SolanaToEvmOrderRequest, 'solanaAuthority'>): Promise<DlnEstimate>
  createOrder(request: SolanaToEvmOrderRequest): Promise<DlnOrder>
  orderStatus(orderId: string): Promise<DlnOrderStatus>
  orderIdsByTransaction(signature: string): Promise<string[]>
}>

const upstream = (message: string, cause?: unknown) => new CoffreError('COFFRE_UPSTREAM_FAILED', `bridge API: ${redactUrlsIn(message)}`.slice(0, 300), cause === undefined ? {} : { cause })

export function createDlnClient(options: { baseUrl: string; timeoutMs?: number; accessToken?: string; fetch?: typeof fetch }): DlnClient {
  const doFetch = options.fetch ?? fetch
  async function get<T>(path: string, query: Record<string, string>, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(path, options.baseUrl)
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value)
    if (options.accessToken !== undefined) url.searchParams.set('accesstoken', options.accessToken)
    let reply: Response
    try {
      reply = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000), headers: { accept: 'application/json' } })
    } catch (cause) {
      throw upstream(`${path} unreachable`, cause)
    }
    const text = await reply.text()
    if (!reply.ok) throw upstream(`${path} answered HTTP ${reply.status}`)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (cause) {
      throw upstream(`${path} answered something that is not JSON`, cause)
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) throw upstream(`${path} answered an unexpected body (${parsed.error.issues[0]?.path.join('.') ?? ''})`)
    return parsed.data
  }

  const params = (r: Omit<SolanaToEvmOrderRequest, 'solanaAuthority'>) => ({
    srcChainId: String(DLN_SOLANA_CHAIN_ID),
    srcChainTokenIn: r.srcToken,
    srcChainTokenInAmount: r.srcAmount.toString(),
    dstChainId: String(r.dstChainId),
    dstChainTokenOut: r.dstToken,
    dstChainTokenOutAmount: 'auto',
    prependOperatingExpenses: 'false',
  })
  const estimate = (reply: z.output<typeof createTxReply>): DlnEstimate => ({
    srcAmount: reply.estimation.srcChainTokenIn.amount,
    dstAmount: reply.estimation.dstChainTokenOut.amount,
    dstRecommendedAmount: reply.estimation.dstChainTokenOut.recommendedAmount,
    fixFee: reply.fixFee,
  })

  return {
    async quote(request) {
      return estimate(await get('/v1.0/dln/order/create-tx', params(request), createTxReply))
    },
    async createOrder(request) {
      const reply = await get(
        '/v1.0/dln/order/create-tx',
        { ...params(request), dstChainTokenOutRecipient: request.recipient, srcChainOrderAuthorityAddress: request.solanaAuthority, dstChainOrderAuthorityAddress: request.recipient },
        createTxReply,
      )
      if (reply.tx === undefined || reply.orderId === undefined) throw upstream('create-tx returned no transaction or order id')
      return { ...estimate(reply), orderId: reply.orderId, transaction: new Uint8Array(Buffer.from(reply.tx.data.slice(2), 'hex')) }
    },
    async orderStatus(orderId) {
      return (await get(`/v1.0/dln/order/${encodeURIComponent(orderId)}/status`, {}, statusReply)).status
    },
    async orderIdsByTransaction(signature) {
      return (await get(`/v1.0/dln/tx/${encodeURIComponent(signature)}/order-ids`, {}, orderIdsReply)).orderIds
    },
  }
}
