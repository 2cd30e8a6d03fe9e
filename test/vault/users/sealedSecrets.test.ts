/**
 * A user's secrets are sealed and checked before the write: if any ciphertext (mnemonic entropy,
 * identity key, Polygon key, Solana key) would not decrypt to the material it was made from — a
 * sealing fault, simulated here by sealing one altered byte — the user is refused with
 * COFFRE_ADDRESS_MISMATCH and nothing is written (no user row, no audit entry, no counted
 * encryption). Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { SecretPlace } from '../../../src/crypto/secretField.ts'
import { SecretSealer } from '../../../src/vault/keyring/secretSealer.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

const FIELDS: { name: string; matches: (place: SecretPlace) => boolean }[] = [
  { name: 'mnemonic', matches: (p) => p.column === 'mnemonic_ciphertext' },
  { name: 'identity', matches: (p) => p.column === 'identity_private_key_ciphertext' },
  { name: 'polygon', matches: (p) => p.table === 'wallets' && p.row.includes('polygon') },
  { name: 'solana', matches: (p) => p.table === 'wallets' && p.row.includes('solana') },
]

for (const engine of ENGINES) {
  describe(`sealed secrets are verified before the write (${engine})`, () => {
    let t: TestVault
    before(async () => (t = await openTestVault(engine)))
    after(async () => t?.cleanup())

    for (const [i, field] of FIELDS.entries()) {
      test(`a ${field.name} ciphertext that does not open to its material refuses the user and writes nothing`, async () => {
        const db = contextOf(t.vault).store.db
        const count = async (table: 'audit_log' | 'users') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
        const encryptions = async () => (await db.selectFrom('data_keys').select('encryption_count').where('state', '=', 'active').executeTakeFirstOrThrow()).encryption_count
        const [users, audit, sealed] = [await count('users'), await count('audit_log'), await encryptions()]
        const seal = SecretSealer.prototype.seal
        SecretSealer.prototype.seal = function (this: SecretSealer, plaintext: Uint8Array, place: SecretPlace) {
          if (!field.matches(place)) return seal.call(this, plaintext, place)
          const altered = Uint8Array.from(plaintext)
          altered[0] = (altered[0] ?? 0) ^ 1
          return seal.call(this, altered, place)
        }
        try {
          await assert.rejects(t.vault.users.create({ telegramUserId: 900 + i }), (error: { code?: string; details?: { field?: string } }) => error.code === 'COFFRE_ADDRESS_MISMATCH' && error.details?.field === field.name)
        } finally {
          SecretSealer.prototype.seal = seal
        }
        assert.equal(await count('users'), users)
        assert.equal(await count('audit_log'), audit)
        assert.equal(Number(await encryptions()), Number(sealed), 'no encryption was counted')
        const created = await t.vault.users.create({ telegramUserId: 900 + i })
        assert.equal((await t.vault.users.export({ id: created.id })).polygonAddress, created.polygonAddress, 'the next attempt stores the user')
      })
    }
  })
}
