import assert from 'node:assert/strict'
import { it } from 'node:test'
import fc from 'fast-check'
import { buildHmacSignature, decodeApiSecret } from '../../src/polymarket/hmacSignature.ts'

it('accepts the secret as base64url, standard base64, with or without padding — same key', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string({ maxLength: 40 }), (bytes, message) => {
      const standard = Buffer.from(bytes).toString('base64')
      const url = standard.replace(/\+/g, '-').replace(/\//g, '_')
      const forms = [standard, url, url.replace(/=+$/, ''), standard.replace(/=+$/, '')]
      for (const form of forms) assert.deepEqual(decodeApiSecret(form), Buffer.from(bytes))
      const signatures = new Set(forms.map((f) => buildHmacSignature(f, message)))
      assert.equal(signatures.size, 1)
      const [signature] = signatures
      assert.match(signature as string, /^[A-Za-z0-9_-]{43}=$/)
    }),
  )
})

it('refuses a secret that is not base64, without echoing it', () => {
  for (const bad of ['', '!!!notbase64!!!', 'abcde', 'ab=cd', 'a b']) {
    assert.throws(() => decodeApiSecret(bad), (e: Error & { code?: string }) => e.code === 'COFFRE_INVALID_INPUT' && (bad === '' || !e.message.includes(bad)))
  }
  assert.throws(() => decodeApiSecret(42 as unknown as string), TypeError)
})
