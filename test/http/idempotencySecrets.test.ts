/**
 * The idempotency table keeps a fingerprint of each request for 24 h. Request bodies can carry a
 * mnemonic or private keys (imports), so the fingerprint must be keyed: a database reader must
 * not be able to confirm a guessed body or secret from it.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { mnemonicToAccount } from 'viem/accounts'
import { ENGINES } from '../support/engines.ts'
import { startHarness, type Harness } from './httpHarness.ts'
import { contextOf } from '../../src/vault/internals.ts'

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow'
const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest()

for (const engine of ENGINES) {
  describe(`idempotency fingerprints on ${engine}`, () => {
    let h: Harness
    before(async () => {
      h = await startHarness({}, { engine })
    })
    after(async () => h.close())

    test('after an import with a known mnemonic, the table holds no hash of the body or the mnemonic', async () => {
      const body = { telegramUserId: 9191, mnemonic: MNEMONIC }
      const headers = { ...h.auth('users:write'), 'idempotency-key': 'import-1' }
      const first = await h.app.inject({ method: 'POST', url: '/v1/users/import', payload: body, headers })
      assert.equal(first.statusCode, 201, first.body)
      assert.equal(first.json().polygonAddress, mnemonicToAccount(MNEMONIC).address)

      const rows = await contextOf(h.test.vault).store.db.selectFrom('idempotency_keys').selectAll().execute()
      assert.equal(rows.length, 1)
      const dump = JSON.stringify(rows).toLowerCase()
      const raw = JSON.stringify(body)
      const canonical = `{"mnemonic":${JSON.stringify(MNEMONIC)},"telegramUserId":9191}`
      const candidates = [MNEMONIC, raw, canonical, `POST /v1/users/import\n${canonical}`, `POST /v1/users/import\n${raw}`, ...MNEMONIC.split(' ').slice(0, 3).map((w) => `${w} `)]
      for (const text of candidates) {
        const digest = sha256(text)
        for (const form of [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')]) {
          assert.ok(!dump.includes(form.toLowerCase()), `no SHA-256 of ${JSON.stringify(text.slice(0, 30))}…`)
        }
      }
      assert.ok(!dump.includes('legal winner'), 'no mnemonic words')
      assert.ok(!dump.includes('sausage'), 'no mnemonic words')
      assert.ok(!dump.includes(sha256(Buffer.from(MNEMONIC)).toString('hex').slice(0, 16)), 'not even a prefix of the mnemonic hash')

      // The keyed fingerprint still does its job: same body replays, another body is refused.
      const again = await h.app.inject({ method: 'POST', url: '/v1/users/import', payload: body, headers })
      assert.equal(again.headers['idempotent-replayed'], 'true')
      assert.deepEqual(again.json(), first.json())
      const other = await h.app.inject({ method: 'POST', url: '/v1/users/import', payload: { ...body, telegramUserId: 9192 }, headers })
      assert.equal(other.statusCode, 422)
      assert.equal(other.json().error.code, 'COFFRE_IDEMPOTENCY_MISMATCH')
    })

    test('the fingerprint is keyed per token: two tokens sending the same body store unrelated fingerprints', async () => {
      const body = { telegramUserId: 9393 }
      for (const scope of ['users:write', 'admin'] as const) {
        const reply = await h.app.inject({ method: 'POST', url: '/v1/users', payload: body, headers: { ...h.auth(scope), 'idempotency-key': 'same-key' } })
        assert.ok(reply.statusCode < 300, reply.body)
      }
      const rows = await contextOf(h.test.vault).store.db.selectFrom('idempotency_keys').select(['token_id', 'request_hash']).where('key', '=', 'same-key').execute()
      assert.equal(rows.length, 2)
      assert.notEqual(rows[0]!.request_hash, rows[1]!.request_hash)
    })
  })
}
