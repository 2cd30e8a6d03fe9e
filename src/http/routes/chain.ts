/**
 * On chain over HTTP: a user's balances on Polygon and Solana, each with the block or slot it was
 * read at. Amounts are integer strings in base units.
 */
import type { FastifyInstance } from 'fastify'
import type { WithdrawalInput } from '../../vault/chain/withdrawalService.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const amount = { type: 'string', pattern: '^[0-9]+$' } as const
const polygonBalances = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['chainId', 'address', 'blockNumber', 'blockHash', 'pol', 'pUsd', 'usdcE'],
  properties: { chainId: { type: 'integer' }, address: { type: 'string' }, blockNumber: amount, blockHash: { type: 'string' }, pol: amount, pUsd: amount, usdcE: amount },
} as const
const solanaBalances = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['address', 'slot', 'sol', 'usdc', 'usdcMint'],
  properties: { address: { type: 'string' }, slot: amount, sol: amount, usdc: amount, usdcMint: { type: 'string' } },
} as const
const balances = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'polygon', 'solana'],
  properties: { userId: { type: 'string' }, polygon: polygonBalances, solana: solanaBalances },
} as const

const withdrawal = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'userId', 'chain', 'asset', 'amount', 'fromAddress', 'to', 'state', 'txRef', 'error', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, userId: { type: 'string' }, chain: { type: 'string', enum: ['polygon', 'solana'] }, asset: { type: 'string' }, amount,
    fromAddress: { type: 'string' }, to: { type: 'string' }, state: { type: 'string', enum: ['pending', 'sent', 'confirmed', 'failed'] },
    txRef: { type: ['string', 'null'] }, error: { type: ['string', 'null'] }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const
const withdrawalBody = {
  type: 'object',
  additionalProperties: false,
  required: ['chain', 'asset', 'amount', 'to'],
  properties: {
    chain: { type: 'string', enum: ['polygon', 'solana'] },
    asset: { type: 'string', enum: ['POL', 'pUSD', 'USDC.e', 'SOL', 'USDC'] },
    amount: { type: 'string', pattern: '^[1-9][0-9]{0,77}$' },
    to: { type: 'string', minLength: 32, maxLength: 64 },
  },
} as const

const approvals = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'address', 'blockNumber', 'state', 'pending'],
  properties: {
    userId: { type: 'string' }, address: { type: 'string' }, blockNumber: amount, state: { type: 'string', enum: ['approved', 'pending'] },
    pending: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'contract', 'spender', 'transactionId', 'state', 'txHash'],
        properties: { kind: { type: 'string' }, contract: { type: 'string' }, spender: { type: 'string' }, transactionId: { type: 'string' }, state: { type: 'string' }, txHash: { type: ['string', 'null'] } },
      },
    },
  },
} as const

export async function chainRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx

  app.post<{ Params: { id: string }; Body: WithdrawalInput }>('/users/:id/withdrawals', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: {
      tags: ['chain'],
      summary: 'Withdraw to an outside address: authorised, signed, stored in the outbox before it is broadcast, sent once (202: follow it with GET /v1/withdrawals/{id} or webhooks)',
      security: bearer,
      params: userIdParams,
      headers: idempotencyHeaders,
      body: withdrawalBody,
      response: { 202: withdrawal, ...errorReplies },
    },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key']
    const requestId = typeof key === 'string' && request.apiToken !== undefined ? `http:${request.apiToken.id}:${key}` : undefined
    const created = await vault.chain.withdrawals.create({ id: request.params.id }, request.body, { ...callerOf(request), ...(requestId === undefined ? {} : { requestId }) })
    return reply.code(202).send(created)
  })

  app.post<{ Params: { id: string } }>('/users/:id/polymarket/approvals', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: {
      tags: ['chain'],
      summary: 'Send the missing Polymarket trading approvals (pUSD approve, CTF setApprovalForAll to both exchanges and the neg-risk adapter), each exactly once; state approved when none is missing',
      security: bearer,
      params: userIdParams,
      headers: idempotencyHeaders,
      response: { 202: approvals, ...errorReplies },
    },
  }, async (request, reply) => reply.code(202).send(await vault.chain.approvals.ensure({ id: request.params.id })))

  app.get<{ Params: { id: string } }>('/withdrawals/:id', {
    onRequest: guard('users:read'),
    schema: { tags: ['chain'], summary: 'A withdrawal and where it stands (pending, sent, confirmed, failed)', security: bearer, params: userIdParams, response: { 200: withdrawal, ...errorReplies } },
  }, async (request) => vault.chain.withdrawals.get(request.params.id))

  app.get<{ Params: { id: string } }>('/users/:id/balances', {
    onRequest: guard('users:read'),
    schema: {
      tags: ['chain'],
      summary: 'POL, pUSD, USDC.e (Polygon) and SOL, SPL USDC (Solana) balances, with the block and slot they were read at; null for a chain not configured',
      security: bearer,
      params: userIdParams,
      response: { 200: balances, ...errorReplies },
    },
  }, async (request) => vault.chain.balances({ id: request.params.id }))
}
