/**
 * On chain over HTTP: a user's balances on Polygon and Solana, each with the block or slot it was
 * read at. Amounts are integer strings in base units.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { bearer, errorReplies, userIdParams } from '../schemas.ts'

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

export async function chainRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard } = ctx

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
