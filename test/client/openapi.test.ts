/** src/client/openapi.ts is what `npm run gen:client` makes from the current /openapi.json. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CLIENT_TYPES_FILE, loadOpenApiDocument, renderClientTypes } from '../../scripts/gen-client.ts'

test('the generated client types are current (run `npm run gen:client` after changing a route)', async () => {
  const expected = await renderClientTypes(await loadOpenApiDocument())
  assert.ok(readFileSync(CLIENT_TYPES_FILE, 'utf8') === expected, 'src/client/openapi.ts is stale: run `npm run gen:client`')
})
