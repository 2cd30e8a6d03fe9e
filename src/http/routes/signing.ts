/** Signing for a user: EIP-191/ed25519 messages, EIP-712 typed data, EIP-1559 and Solana transactions. */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { invalidInput } from '../../errors.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const signature = {
  type: 'object',
  additionalProperties: false,
  required: ['signature', 'address'],
  properties: { signature: { type: 'string' }, address: { type: 'string' } },
}
const quantity = { oneOf: [{ type: 'string', minLength: 1, maxLength: 80 }, { type: 'integer', minimum: 0 }] }

const typedDataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['types', 'primaryType'],
  properties: {
    domain: { type: 'object' },
    types: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'type'], properties: { name: { type: 'string' }, type: { type: 'string' } } } } },
    primaryType: { type: 'string', minLength: 1, maxLength: 128 },
    message: { type: 'object' },
  },
}

const evmTransactionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chainId', 'nonce', 'gas', 'maxFeePerGas', 'maxPriorityFeePerGas'],
  properties: {
    type: { oneOf: [{ type: 'string', enum: ['eip1559', '0x2'] }, { type: 'integer', enum: [2] }] },
    chainId: quantity,
    nonce: quantity,
    to: { type: ['string', 'null'], maxLength: 42 },
    value: quantity,
    data: { type: 'string', maxLength: 100_000 },
    gas: quantity,
    maxFeePerGas: quantity,
    maxPriorityFeePerGas: quantity,
    accessList: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['address', 'storageKeys'], properties: { address: { type: 'string' }, storageKeys: { type: 'array', items: { type: 'string' } } } } },
  },
}

function messageBytes(message: string, encoding: 'utf8' | 'hex' | 'base64'): string | Uint8Array {
  if (encoding === 'utf8') return message
  const valid = encoding === 'hex' ? /^(0x)?([0-9a-fA-F]{2})*$/.test(message) : /^[A-Za-z0-9+/]*={0,2}$/.test(message) && message.length % 4 === 0
  if (!valid) throw invalidInput(`message is not valid ${encoding}`)
  return new Uint8Array(Buffer.from(encoding === 'hex' ? message.replace(/^0x/, '') : message, encoding))
}

type Params = { id: string }

export async function signingRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  const common = (summary: string, body: object, reply: object) => ({
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: { tags: ['signing'], summary, security: bearer, headers: idempotencyHeaders, params: userIdParams, body, response: { 200: reply, ...errorReplies } },
  })

  app.post<{ Params: Params; Body: { chain: 'polygon' | 'solana'; message: string; encoding?: 'utf8' | 'hex' | 'base64' } }>(
    '/users/:id/sign/message',
    common('Sign a message: EIP-191 personal_sign on polygon (0x r‖s‖v), ed25519 on solana (base58)', {
      type: 'object',
      additionalProperties: false,
      required: ['chain', 'message'],
      properties: { chain: { type: 'string', enum: ['polygon', 'solana'] }, message: { type: 'string', maxLength: 65_536 }, encoding: { type: 'string', enum: ['utf8', 'hex', 'base64'] } },
    }, signature),
    async (request) => vault.sign.message({ id: request.params.id }, { chain: request.body.chain, message: messageBytes(request.body.message, request.body.encoding ?? 'utf8') }, callerOf(request)),
  )

  app.post<{ Params: Params; Body: { typedData: Parameters<typeof vault.sign.typedData>[1] } }>(
    '/users/:id/sign/typed-data',
    common('Sign EIP-712 typed data with the Polygon key', { type: 'object', additionalProperties: false, required: ['typedData'], properties: { typedData: typedDataSchema } }, signature),
    async (request) => vault.sign.typedData({ id: request.params.id }, request.body.typedData, callerOf(request)),
  )

  app.post<{ Params: Params; Body: { transaction: Parameters<typeof vault.sign.evmTransaction>[1] } }>(
    '/users/:id/sign/evm-transaction',
    common('Sign an EIP-1559 transaction (signed, not sent)', { type: 'object', additionalProperties: false, required: ['transaction'], properties: { transaction: evmTransactionSchema } }, {
      type: 'object',
      additionalProperties: false,
      required: ['serializedTransaction', 'hash', 'address'],
      properties: { serializedTransaction: { type: 'string' }, hash: { type: 'string' }, address: { type: 'string' } },
    }),
    async (request) => vault.sign.evmTransaction({ id: request.params.id }, request.body.transaction, callerOf(request)),
  )

  app.post<{ Params: Params; Body: { transaction: string } }>(
    '/users/:id/sign/solana-transaction',
    common('Sign a Solana wire transaction (base64) with the Solana key', {
      type: 'object',
      additionalProperties: false,
      required: ['transaction'],
      properties: { transaction: { type: 'string', minLength: 4, maxLength: 4096, pattern: '^[A-Za-z0-9+/]+={0,2}$' } },
    }, {
      type: 'object',
      additionalProperties: false,
      required: ['signedTransaction', 'signature', 'address'],
      properties: { signedTransaction: { type: 'string' }, signature: { type: 'string' }, address: { type: 'string' } },
    }),
    async (request) => {
      const signed = await vault.sign.solanaTransaction({ id: request.params.id }, new Uint8Array(Buffer.from(request.body.transaction, 'base64')), callerOf(request))
      return { signedTransaction: Buffer.from(signed.signedTransaction).toString('base64'), signature: signed.signature, address: signed.address }
    },
  )
}
