/** JSON Schemas shared by the routes (requests and replies, closed with additionalProperties: false). */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'string', pattern: '^COFFRE_[A-Z_]+$' }, message: { type: 'string' }, ruleId: { type: ['string', 'null'], description: 'COFFRE_POLICY_DENIED: the policy rule that decided (null: no rule allows the request)' } },
    },
  },
} as const

export const errorReplies = { '4xx': { $ref: 'Error#' }, '5xx': { $ref: 'Error#' } } as const

export const userSchema = {
  $id: 'User',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'telegramUserId', 'username', 'polygonAddress', 'solanaAddress', 'identityPublicKey', 'origin', 'hasMnemonic', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    telegramUserId: { type: 'integer' },
    username: { type: ['string', 'null'] },
    polygonAddress: { type: 'string' },
    solanaAddress: { type: 'string' },
    identityPublicKey: { type: 'string' },
    origin: { type: 'string' },
    hasMnemonic: { type: 'boolean' },
    createdAt: { type: 'string' },
    /** On GET /v1/users/{id}: created → funded (first deposit) → approved → ready. */
    onboardingStage: { type: 'string', enum: ['created', 'funded', 'approved', 'ready'] },
  },
} as const

export const userIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } },
} as const

export const telegramUserId = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const
export const username = { type: ['string', 'null'], minLength: 1, maxLength: 64 } as const

/** The Idempotency-Key header every POST accepts. */
export const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' } },
} as const

export const bearer = [{ bearerAuth: [] }]
