/**
 * Finishes the OpenAPI 3.0.3 document @fastify/swagger derives from the route schemas, so that it
 * validates (swagger-parser) and generated clients type every reply:
 * - JSON Schema keywords OpenAPI 3.0 spells differently: numeric `exclusiveMinimum`/`Maximum`
 *   (draft 7, what Ajv validates) become `minimum` + `exclusiveMinimum: true`; `const` becomes a
 *   one-value `enum`;
 * - every response gets a description; errors (4XX, 5XX) point to the shared `ClientError` /
 *   `ServerError` responses (the `Error` schema, `Retry-After` when a retry is worth it);
 * - every response documents the `Coffre-Api-Version` header, and idempotent POSTs'
 *   successes the `Idempotent-Replayed` header.
 * Works on a copy; the route schemas Ajv compiled are untouched.
 */
type Json = Record<string, unknown>

const SUCCESS: Readonly<Record<string, string>> = {
  '200': 'Success',
  '201': 'Created',
  '202': 'Accepted: the work goes on in the background',
  '503': 'Unavailable',
}

const versionHeader = { description: 'The API version this server speaks (semver); clients refuse another major.', schema: { type: 'string', example: '1.0.0' } }

const errorResponse = (description: string, retryWhen: string) => ({
  description: `${description} The code is in docs/errors.md.`,
  headers: { 'Retry-After': { description: `Seconds to wait before retrying (${retryWhen}).`, schema: { type: 'string' } }, 'Coffre-Api-Version': versionHeader },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

const sharedResponses = {
  ClientError: errorResponse('Refused: bad input (400), missing or invalid token (401), missing scope or policy denial (403), not found (404), conflict (409), body too large (413), unprocessable (422), rate limited (429).', '429'),
  ServerError: errorResponse('The service failed (500), an upstream such as the Polymarket CLOB failed (502), or the store or key provider is unavailable (503).', '503'),
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Rewrites draft-7 keywords into their OpenAPI 3.0 form, everywhere in the tree. */
function toOpenApi30Schemas(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) toOpenApi30Schemas(item)
    return
  }
  if (!isObject(node)) return
  for (const [keyword, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    const value = node[keyword]
    if (typeof value === 'number') {
      const other = node[bound]
      // Both bounds given: the tighter one wins (draft 7 applies both).
      const exclusiveWins = typeof other !== 'number' || (bound === 'minimum' ? value >= other : value <= other)
      if (exclusiveWins) {
        node[bound] = value
        node[keyword] = true
      } else {
        delete node[keyword]
      }
    }
  }
  if (Object.hasOwn(node, 'const')) {
    node.enum = [node.const]
    delete node.const
  }
  for (const value of Object.values(node)) toOpenApi30Schemas(value)
}

function describeResponses(operation: Json, method: string): void {
  const responses = operation.responses
  if (!isObject(responses)) return
  const idempotent = method === 'post' && Array.isArray(operation.parameters) && operation.parameters.some((p) => isObject(p) && p.in === 'header' && p.name === 'idempotency-key')
  for (const [status, response] of Object.entries(responses)) {
    if (status === '4XX') responses[status] = { $ref: '#/components/responses/ClientError' }
    else if (status === '5XX') responses[status] = { $ref: '#/components/responses/ServerError' }
    if (!isObject(response) || Object.hasOwn(responses[status] as Json, '$ref')) continue
    if (response.description === 'Default Response') response.description = SUCCESS[status] ?? `HTTP ${status}`
    const headers: Json = isObject(response.headers) ? response.headers : {}
    headers['Coffre-Api-Version'] = versionHeader
    if (idempotent && status.startsWith('2')) {
      headers['Idempotent-Replayed'] = { description: 'true when this reply replays the one recorded for the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } }
    }
    response.headers = headers
  }
}

export function finishOpenApiDocument<T extends object>(document: T): T {
  const copy = structuredClone(document) as Json
  const components = (isObject(copy.components) ? copy.components : (copy.components = {})) as Json
  toOpenApi30Schemas(copy.paths)
  toOpenApi30Schemas(components.schemas)
  components.responses = { ...(isObject(components.responses) ? components.responses : {}), ...structuredClone(sharedResponses) }
  for (const item of Object.values(isObject(copy.paths) ? copy.paths : {})) {
    if (!isObject(item)) continue
    for (const [method, operation] of Object.entries(item)) if (isObject(operation)) describeResponses(operation, method)
  }
  return copy as T
}
