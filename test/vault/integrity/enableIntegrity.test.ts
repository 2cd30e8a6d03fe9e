/**
 * Opening a vault made before row integrity existed (schema at migration 008, rows written by the
 * previous code): its rows are authenticated in one audited step; a vault holding an inconsistent
 * row refuses to open, names the row and changes nothing. Both engines.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, test } from 'node:test'
import { base58 } from '@scure/base'
import { Migrator, type Kysely } from 'kysely'
import { getAddress } from 'viem'
import { openLocalKeyProvider } from '../../../src/keyProviders/local.ts'
import { createDataKeyStore } from '../../../src/store/dataKeyStore.ts'
import { migrations } from '../../../src/store/migrations/all.ts'
import { openStore } from '../../../src/store/openStore.ts'
import type { Database } from '../../../src/store/schema.ts'
import { Keyring } from '../../../src/vault/keyring/keyring.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { hashToken, newTokenText } from '../../../src/vault/tokens/tokenText.ts'
import { createTestStore, ENGINES, type TestStore } from '../../support/engines.ts'
import { insertSyntheticUsers } from '../../support/syntheticSecrets.ts'

const BEFORE_INTEGRITY = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '009'))

/** A store at migration 008 with `users` synthetic users (real ciphertexts, plausible addresses) and one token, written by the pre-integrity code paths. */
async function preIntegrityVault(engine: 'sqlite' | 'postgres', rootKey: Uint8Array, users: number): Promise<{ store: TestStore; token: string }> {
  const store = await createTestStore(engine)
  const opened = await openStore(store.config, { migrate: false })
  try {
    const result = await new Migrator({ db: opened.db, provider: { getMigrations: async () => BEFORE_INTEGRITY } }).migrateToLatest()
    assert.equal(result.error, undefined)
    // The store is empty at schema 008: tables of later migrations (user_backups…) do not exist yet,
    // so the keyring is told so instead of probing every secret column of today's code.
    const keyring = await Keyring.open({ ...createDataKeyStore(opened.db), anySecretStored: async () => false }, openLocalKeyProvider({ key: rootKey }))
    await insertSyntheticUsers(opened.db, keyring, users, { firstTelegramId: 500 })
    await keyring.close()
    await plausibleAddresses(opened.db)
    const token = newTokenText()
    await opened.db.insertInto('api_tokens').values({ id: `tok_${randomBytes(8).toString('hex')}`, name: 'old', token_hash: hashToken(token), scopes: '["sign"]', created_at: new Date().toISOString(), revoked_at: null }).execute()
    return { store, token }
  } finally {
    await opened.close()
  }
}

async function plausibleAddresses(db: Kysely<Database>): Promise<void> {
  for (const wallet of await db.selectFrom('wallets').select(['user_id', 'chain']).execute()) {
    const address = wallet.chain === 'polygon' ? getAddress(`0x${randomBytes(20).toString('hex')}`) : base58.encode(randomBytes(32))
    await db.updateTable('wallets').set({ address }).where('user_id', '=', wallet.user_id).where('chain', '=', wallet.chain).execute()
  }
}

for (const engine of ENGINES) {
  describe(`enabling integrity on an existing vault on ${engine}`, () => {
    const stores: TestStore[] = []
    after(async () => {
      for (const store of stores) await store.cleanup()
    })

    test('every existing row is authenticated in one audited step; old tokens keep working; a second open changes nothing', async () => {
      const rootKey = new Uint8Array(randomBytes(32))
      const { store, token } = await preIntegrityVault(engine, rootKey, 12)
      stores.push(store)
      const config = { store: store.config, rootKey: { kind: 'local' as const, masterKey: rootKey }, mnemonicWords: 12 as const }
      const vault = await openVault(config)
      try {
        assert.notEqual(await vault.tokens.authenticate(token), null)
        const report = await vault.doctor({ secrets: false, scheduler: false })
        const integrity = report.checks.find((c) => c.name === 'integrity')
        assert.equal(integrity?.ok, true, JSON.stringify(integrity))
        assert.match(integrity!.detail, /^38\/38 rows authenticate$/) // 12 users, 24 wallets, 1 token, 1 data key
        assert.equal(report.checks.find((c) => c.name === 'audit-chain')?.ok, true)
      } finally {
        await vault.close()
      }
      const again = await openVault(config)
      try {
        const enables = await again.audit.verify()
        assert.equal(enables.ok, true)
      } finally {
        await again.close()
      }
      const check = await openStore(store.config)
      try {
        const entries = await check.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'integrity.enable').execute()
        assert.equal(entries.length, 1)
        assert.deepEqual(JSON.parse(entries[0]!.details).users, 12)
      } finally {
        await check.close()
      }
    })

    test('a row already inconsistent refuses the step, is named, and nothing is written', async () => {
      const rootKey = new Uint8Array(randomBytes(32))
      const { store } = await preIntegrityVault(engine, rootKey, 3)
      stores.push(store)
      const raw = await openStore(store.config, { migrate: false })
      const victim = await raw.db.selectFrom('wallets').select('user_id').where('chain', '=', 'polygon').executeTakeFirstOrThrow()
      await raw.db.updateTable('wallets').set({ address: '0xnot-an-address' }).where('user_id', '=', victim.user_id).where('chain', '=', 'polygon').execute()
      const token = await raw.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow()
      await raw.db.updateTable('api_tokens').set({ scopes: 'admin' }).where('id', '=', token.id).execute()
      await raw.close()
      const config = { store: store.config, rootKey: { kind: 'local' as const, masterKey: rootKey }, mnemonicWords: 12 as const }
      await assert.rejects(openVault(config), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'COFFRE_INTEGRITY_FAILED')
        assert.match(error.message, new RegExp(`wallets:${victim.user_id}/polygon: address is not an EVM address`))
        assert.match(error.message, new RegExp(`api_tokens:${token.id}: scopes are not a JSON array of names`))
        return true
      })
      const after = await openStore(store.config)
      try {
        assert.equal((await after.db.selectFrom('integrity_keys').select('id').execute()).length, 0)
        assert.equal((await after.db.selectFrom('users').select('id').where('row_mac', 'is not', null).execute()).length, 0)
        assert.equal((await after.db.selectFrom('audit_log').select('seq').where('action', '=', 'integrity.enable').execute()).length, 0)
      } finally {
        await after.close()
      }
    })
  })
}
