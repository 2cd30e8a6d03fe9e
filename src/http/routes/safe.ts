/**
 * Safe v1.4.1 over HTTP (vault.safe, docs/safe.md). Nothing is broadcast: create and execute reply
 * with the call to send; propose and sign reply with the vault owner's EIP-712 signature, made
 * through the typed-data signing path (scope `sign`).
 */
import type { FastifyInstance } from 'fastify'
import type { Hex } from 'viem'
import type { SafeContracts } from '../../chain/safe/safeDeployments.ts'
import type { SafeTxJson } from '../../vault/safe/safeService.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const
const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' } as const
const hexData = { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$', maxLength: 262144 } as const
const chainId = { type: 'integer', minimum: 1 } as const
const call = { type: 'object', additionalProperties: false, required: ['to', 'data'], properties: { to: { type: 'string' }, data: { type: 'string' } } } as const
const safeTxFields = ['to', 'value', 'data', 'operation', 'safeTxGas', 'baseGas', 'gasPrice', 'gasToken', 'refundReceiver', 'nonce'] as const
const safeTx = {
  type: 'object',
  additionalProperties: false,
  required: [...safeTxFields],
  properties: { to: address, value: decimal, data: hexData, operation: { type: 'integer', enum: [0, 1] }, safeTxGas: decimal, baseGas: decimal, gasPrice: decimal, gasToken: address, refundReceiver: address, nonce: decimal },
} as const
const contracts = { type: 'object', additionalProperties: false, required: ['proxyFactory', 'singleton', 'fallbackHandler'], properties: { proxyFactory: address, singleton: address, fallbackHandler: address } } as const
const signed = {
  type: 'object',
  additionalProperties: false,
  required: ['safe', 'chainId', 'safeTx', 'safeTxHash', 'owner', 'signature'],
  properties: { safe: { type: 'string' }, chainId: { type: 'integer' }, safeTx, safeTxHash: { type: 'string' }, owner: { type: 'string' }, signature: { type: 'string' } },
} as const
const post = (summary: string, body: object, reply: object, params: object | null = userIdParams) => ({
  tags: ['safe'], summary, security: bearer, headers: idempotencyHeaders, ...(params === null ? {} : { params }), body: { type: 'object', additionalProperties: false, ...body }, response: { 200: reply, ...errorReplies },
})

type CreateBody = { coSigners: string[]; threshold: number; saltNonce?: string; contracts?: SafeContracts }
type ProposeBody = { safe: string; chainId: number; to: string; value?: string; data?: Hex; operation?: 0 | 1; nonce: string }

export async function safeRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  app.post<{ Params: { id: string }; Body: CreateBody }>('/users/:id/safe', {
    onRequest: guard('users:read'),
    preHandler: idempotent,
    schema: post('A Safe owned by the user\'s EOA and co-signers: its address before deployment and the deployment call', {
      required: ['coSigners', 'threshold'],
      properties: { coSigners: { type: 'array', maxItems: 31, items: address }, threshold: { type: 'integer', minimum: 1, maximum: 32 }, saltNonce: decimal, contracts },
    }, {
      type: 'object',
      additionalProperties: false,
      required: ['safeAddress', 'owners', 'threshold', 'saltNonce', 'contracts', 'initializer', 'deployment'],
      properties: { safeAddress: { type: 'string' }, owners: { type: 'array', items: { type: 'string' } }, threshold: { type: 'integer' }, saltNonce: { type: 'string' }, contracts, initializer: { type: 'string' }, deployment: call },
    }),
  }, async (request) => vault.safe.create({ id: request.params.id }, request.body))

  app.post<{ Params: { id: string }; Body: ProposeBody }>('/users/:id/safe/propose', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: post('Build a SafeTx and sign it (EIP-712) with the user\'s vault key', {
      required: ['safe', 'chainId', 'to', 'nonce'],
      properties: { safe: address, chainId, to: address, value: decimal, data: hexData, operation: { type: 'integer', enum: [0, 1] }, nonce: decimal },
    }, signed),
  }, async (request) => vault.safe.propose({ id: request.params.id }, request.body, callerOf(request)))

  app.post<{ Params: { id: string }; Body: { safe: string; chainId: number; safeTx: SafeTxJson } }>('/users/:id/safe/sign', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: post('Co-sign a SafeTx (EIP-712) with the user\'s vault key', { required: ['safe', 'chainId', 'safeTx'], properties: { safe: address, chainId, safeTx } }, signed),
  }, async (request) => vault.safe.sign({ id: request.params.id }, request.body, callerOf(request)))

  app.post<{ Body: { safe: string; chainId: number; safeTx: SafeTxJson; owners: string[]; threshold: number; signatures: Hex[] } }>('/safe/execute', {
    onRequest: guard('users:read'),
    preHandler: idempotent,
    schema: post('Check owners\' signatures over a SafeTx and build the execTransaction call', {
      required: ['safe', 'chainId', 'safeTx', 'owners', 'threshold', 'signatures'],
      properties: { safe: address, chainId, safeTx, owners: { type: 'array', minItems: 1, maxItems: 32, items: address }, threshold: { type: 'integer', minimum: 1, maximum: 32 }, signatures: { type: 'array', minItems: 1, maxItems: 32, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' } } },
    }, { type: 'object', additionalProperties: false, required: ['to', 'data', 'signers'], properties: { to: { type: 'string' }, data: { type: 'string' }, signers: { type: 'array', items: { type: 'string' } } } }, null),
  }, async (request) => vault.safe.execute(request.body))
}
