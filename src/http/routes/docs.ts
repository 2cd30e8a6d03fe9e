/** OpenAPI document at /openapi.json (from the route schemas) and Swagger UI at /docs (bundled assets, works offline). */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { API_VERSION } from '../apiVersion.ts'
import { finishOpenApiDocument } from '../openapiDocument.ts'

export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Coffre', description: 'Self-hosted custodial key vault: users, wallets, signing, audited export.', version: API_VERSION },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from `coffre tokens create` (cfr_…)' } } },
    },
    transformObject: (document) => ('openapiObject' in document ? finishOpenApiDocument(document.openapiObject) : document.swaggerObject),
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } as Record<string, unknown> })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
