import assert from 'node:assert/strict'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { sealExportEnvelope } from '../../src/crypto/exportEnvelope.ts'

test('the decryption example in docs/export.md opens an envelope Coffre sealed', async () => {
  const doc = readFileSync('docs/export.md', 'utf8')
  const code = /```js example\n([\s\S]*?)```/.exec(doc)?.[1]
  assert.ok(code, 'docs/export.md has the example block')
  // Written inside the project so `@hpke/core` resolves from node_modules, as in a bot's project.
  const file = join(process.cwd(), `.export-example-${process.pid}.mjs`)
  writeFileSync(file, code)
  try {
    const example = await import(file)
    const { recipientPublicKey, privateKey } = example.makeRecipient()
    const wallet = { userId: 'u-1', mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about', polygonPrivateKey: '0x01' }
    const sealed = await sealExportEnvelope(new Uint8Array(Buffer.from(recipientPublicKey, 'base64')), new TextEncoder().encode(JSON.stringify(wallet)), 'u-1')
    assert.deepEqual(await example.openExport({ userId: 'u-1', ...sealed }, privateKey), wallet)
    await assert.rejects(example.openExport({ userId: 'u-2', ...sealed }, privateKey), 'bound to the user id')
  } finally {
    rmSync(file, { force: true })
  }
})
