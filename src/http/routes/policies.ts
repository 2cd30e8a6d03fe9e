/**
 * Signing policies over HTTP (admin scope): store a new version (`POST /policies`), list the
 * latest versions, show one, and dry-run a request (`POST /policies/evaluate`: the decision and
 * the deciding rule, nothing signed or charged). Policy documents are free-form JSON here on
 * purpose: the policy parser validates them strictly and names the bad field
 * (COFFRE_POLICY_INVALID), which a JSON Schema could not.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies } from '../schemas.ts'

const policyDocument = { type: 'object', additionalProperties: true, description: 'A policy document ({ name?, description?, rules }) or a template instance ({ template, params? }); see docs/policies.md' }

const storedPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'document', 'createdAt', 'createdBy'],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    document: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    versions: { type: 'array', items: { type: 'integer' } },
  },
}

const evaluation = {
  type: 'object',
  additionalProperties: false,
  required: ['decision', 'ruleId', 'reason', 'policy', 'policyVersion'],
  properties: {
    decision: { type: 'string', enum: ['allow', 'deny', 'require-approval'] },
    ruleId: { type: ['string', 'null'] },
    reason: { type: 'string' },
    policy: { type: 'string' },
    policyVersion: { type: ['integer', 'null'] },
    approvals: { type: 'object', additionalProperties: false, required: ['threshold', 'approvers'], properties: { threshold: { type: 'integer' }, approvers: { type: 'array', items: { type: 'string' } } } },
  },
}

const name = { type: 'string', minLength: 1, maxLength: 64 }

export async function policyRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx

  app.get('/policies', {
    onRequest: guard('admin'),
    schema: { tags: ['policies'], summary: 'The latest version of every stored signing policy', security: bearer, response: { 200: { type: 'object', additionalProperties: false, required: ['policies'], properties: { policies: { type: 'array', items: storedPolicy } } }, ...errorReplies } },
  }, async () => ({ policies: await vault.policies.list() }))

  app.post<{ Body: { name: string; document: Record<string, unknown> } }>('/policies', {
    onRequest: guard('admin'),
    preHandler: idempotent,
    schema: {
      tags: ['policies'],
      summary: 'Store a new immutable version of a signing policy (audited)',
      security: bearer,
      body: { type: 'object', additionalProperties: false, required: ['name', 'document'], properties: { name, document: policyDocument } },
      response: { 201: storedPolicy, ...errorReplies },
    },
  }, async (request, reply) => reply.code(201).send(await vault.policies.create(request.body, callerOf(request))))

  app.get<{ Params: { name: string } }>('/policies/:name', {
    onRequest: guard('admin'),
    schema: { tags: ['policies'], summary: 'The latest version of a policy and its version numbers', security: bearer, params: { type: 'object', additionalProperties: false, required: ['name'], properties: { name } }, response: { 200: storedPolicy, ...errorReplies } },
  }, async (request) => vault.policies.show(request.params.name))

  app.post<{ Body: { policy?: string; document?: Record<string, unknown>; request: Record<string, unknown>; userId?: string } }>('/policies/evaluate', {
    onRequest: guard('admin'),
    schema: {
      tags: ['policies'],
      summary: 'Dry run: the decision and the deciding rule for a request, without signing or charging anything',
      security: bearer,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['request'],
        properties: {
          policy: name,
          document: policyDocument,
          request: { type: 'object', additionalProperties: true, required: ['operation'], properties: { operation: { type: 'string' } }, description: 'The request as the signing routes take it: { operation, message?, encoding?, typedData?, transaction?, chainId?, order?, withdrawal?, approval? }' },
          userId: { type: 'string', maxLength: 64 },
        },
      },
      response: { 200: evaluation, ...errorReplies },
    },
  }, async (request) => {
    const { policy, document, userId } = request.body
    return vault.policies.evaluate({ request: request.body.request, ...(policy === undefined ? {} : { policy }), ...(document === undefined ? {} : { document }), ...(userId === undefined ? {} : { user: { id: userId } }) })
  })
}
