/**
 * /openapi.json is a contract clients are generated from: it passes an independent validator
 * (@apidevtools/swagger-parser), states the API version, and describes every response, errors
 * included, with the shared Error schema.
 */
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { API_VERSION } from '../../src/http/apiVersion.ts'
import { finishOpenApiDocument } from '../../src/http/openapiDocument.ts'
import { loadOpenApiDocument } from '../../scripts/gen-client.ts'

type Operation = { responses: Record<string, { description?: string; $ref?: string; headers?: Record<string, unknown> }>; parameters?: { in: string; name: string }[] }
type Document = { openapi: string; info: { version: string }; paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, { content: { 'application/json': { schema: { $ref: string } } } }> } }

let document: Document
before(async () => {
  document = (await loadOpenApiDocument()) as Document
})

const operations = () => Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })))

describe('/openapi.json', () => {
  test('validates with swagger-parser (OpenAPI 3.0.3)', async () => {
    assert.equal(document.openapi, '3.0.3')
    await SwaggerParser.validate(structuredClone(document) as never)
  })

  test('states the API version', () => {
    assert.equal(document.info.version, API_VERSION)
  })

  test('describes every response, and every /v1 operation refers its errors to the shared Error responses', () => {
    for (const { path, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        assert.ok(response.$ref !== undefined || (typeof response.description === 'string' && response.description !== 'Default Response'), `${method} ${path} ${status} is described`)
      }
      if (!path.startsWith('/v1/')) continue
      assert.equal(operation.responses['4XX']?.$ref, '#/components/responses/ClientError', `${method} ${path} 4XX`)
      assert.equal(operation.responses['5XX']?.$ref, '#/components/responses/ServerError', `${method} ${path} 5XX`)
      assert.ok(Object.keys(operation.responses).some((s) => s.startsWith('2')), `${method} ${path} has a success reply`)
    }
    for (const shared of ['ClientError', 'ServerError']) {
      assert.equal(document.components.responses[shared]?.content['application/json'].schema.$ref, '#/components/schemas/Error')
    }
  })

  test('every success reply documents Coffre-Api-Version; idempotent POSTs document Idempotent-Replayed', () => {
    for (const { path, method, operation } of operations()) {
      const keyed = (operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key')
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response.$ref !== undefined) continue
        assert.ok(response.headers?.['Coffre-Api-Version'], `${method} ${path} ${status}`)
        if (keyed && status.startsWith('2')) assert.ok(response.headers?.['Idempotent-Replayed'], `${method} ${path} ${status} replay header`)
      }
    }
  })
})

describe('finishOpenApiDocument', () => {
  const schema = (properties: Record<string, unknown>) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties } } } }, responses: { 200: { description: 'Default Response' } } } } } })
  const propertiesOf = (doc: ReturnType<typeof schema>) => doc.paths['/x'].post.requestBody.content['application/json'].schema.properties as Record<string, Record<string, unknown>>

  test("rewrites draft-7 numeric exclusive bounds and const into OpenAPI 3.0's forms, on a copy", () => {
    const input = schema({ price: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, size: { type: 'number', minimum: 5, exclusiveMinimum: 2 }, kind: { const: 'a' } })
    const out = finishOpenApiDocument(input)
    assert.deepEqual(propertiesOf(out).price, { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true })
    assert.deepEqual(propertiesOf(out).size, { type: 'number', minimum: 5 }, 'the tighter inclusive bound wins')
    assert.deepEqual(propertiesOf(out).kind, { enum: ['a'] })
    assert.equal(propertiesOf(input).price!.exclusiveMinimum, 0, 'the input is untouched')
    assert.equal((out.paths['/x'].post.responses[200] as { description: string }).description, 'Success')
  })
})
