import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { Keyring } from '../../../src/vault/keyring/keyring.ts'
import { openLocalKeyProvider } from '../../../src/keyProviders/local.ts'
import { drainDataKey } from '../../../src/vault/rotation/drainDataKey.ts'
import { reencryptBatch } from '../../../src/vault/rotation/reencryptBatch.ts'
import { rotateRootKey } from '../../../src/vault/rotation/rotateRootKey.ts'
import { checkRotationDue, readRotationProgress } from '../../../src/vault/rotation/rotationStatus.ts'
import { runDataKeyRotation } from '../../../src/vault/rotation/runDataKeyRotation.ts'
import { countReferences } from '../../../src/vault/rotation/secretReferences.ts'
import { verifyAuditChain } from '../../../src/store/audit/verify.ts'
import { listDataKeys } from '../../../src/store/dataKeys.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { secretColumns } from '../../../src/store/secretColumns.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { insertSyntheticUsers, SECRETS_PER_SYNTHETIC_USER } from '../../support/syntheticSecrets.ts'
import { createDataKeyStore } from '../../../src/store/dataKeyStore.ts'

const USERS = 300

/** Every registered secret decrypts at its place; returns how many name each data key. */
async function decryptAll(store: Store, keyring: Keyring): Promise<Map<string, number>> {
  const byKey = new Map<string, number>()
  for (const column of secretColumns) {
    const rows = await store.db.selectFrom(column.table as 'users').selectAll().execute()
    for (const row of rows as Record<string, unknown>[]) {
      const value = row[column.column]
      if (typeof value !== 'string') continue
      const plaintext = await keyring.decrypt(value, { table: column.table, column: column.column, row: column.rowIdentity(row) })
      assert.equal(plaintext.length, 32)
      const id = value.split('.')[1]!
      byKey.set(id, (byKey.get(id) ?? 0) + 1)
    }
  }
  return byKey
}

for (const engine of ENGINES) {
  describe(`data-key and root-key rotation on ${engine}`, () => {
    let testStore: TestStore
    let store: Store
    let keyring: Keyring
    let rootKey: Uint8Array
    const deps = () => ({ db: store.db, dialect: store.dialect, keyring, actor: 'test' })

    before(async () => {
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      rootKey = new Uint8Array(randomBytes(32))
      keyring = await Keyring.open(createDataKeyStore(store.db), openLocalKeyProvider({ key: rootKey }))
      await insertSyntheticUsers(store.db, keyring, USERS)
    })
    after(async () => {
      await keyring.close()
      await store.close()
      await testStore.cleanup()
    })

    test('an interrupted rotation loses nothing and a second run finishes it; progress counts rows exactly', async () => {
      const oldId = keyring.activeDataKeyId
      const total = USERS * SECRETS_PER_SYNTHETIC_USER
      assert.equal(await countReferences(store.db, oldId), total)
      const newId = await keyring.rotateActiveDataKey()
      const drain = new AbortController()
      // A first run that stops after two committed batches (the process "dies").
      let batches = 0
      await drainDataKey(deps(), oldId, { batchSize: 50, workers: 1, signal: drain.signal, onBatch: () => ++batches >= 2 && drain.abort() })
      const partial = (await readRotationProgress(store.db)).find((p) => p.dataKeyId === oldId)!
      assert.equal(partial.totalRows, total)
      assert.equal(partial.doneRows, 100)
      assert.equal(await countReferences(store.db, oldId), total - 100)
      assert.equal((await listDataKeys(store.db)).find((k) => k.id === oldId)?.state, 'decrypt-only')
      // A batch that re-encrypted but never committed changes nothing.
      await assert.rejects(
        store.db.transaction().execute(async () => {
          throw new Error('killed')
        }),
      )
      const summary = await runDataKeyRotation(deps(), { batchSize: 64 })
      assert.equal(summary.newDataKeyId, null, 'the second run resumes rather than making another key')
      assert.deepEqual(summary.retired, [oldId])
      assert.equal(summary.rewritten, total - 100)
      const byKey = await decryptAll(store, keyring)
      assert.deepEqual([...byKey], [[newId, total]])
      const progress = (await readRotationProgress(store.db)).find((p) => p.dataKeyId === oldId)!
      assert.equal(progress.doneRows, total)
      assert.notEqual(progress.finishedAt, null)
      const keys = await listDataKeys(store.db)
      assert.equal(keys.find((k) => k.id === oldId)?.state, 'retired')
      assert.equal(keys.find((k) => k.id === newId)?.encryption_count, total, 'every re-encryption is counted against the nonce budget')
      assert.equal((await verifyAuditChain(store.db)).ok, true)
    })

    test('a second rotation makes a new key and retires the previous one; a batch over a retired key finds nothing', async () => {
      const summary = await runDataKeyRotation(deps(), { batchSize: 100 })
      const oldId = summary.retired[0]!
      assert.ok(summary.newDataKeyId)
      // Nothing references the retired key, so a batch over it finds no rows.
      const column = secretColumns[0]!
      const batch = await reencryptBatch(deps(), column, oldId, null, 10)
      assert.equal(batch.scanned, 0)
    })

    test('root-key rotation rewraps only the data keys, in one audited transaction; only the new key opens the vault', async () => {
      const from = keyring.provider
      const newRoot = new Uint8Array(randomBytes(32))
      const to = openLocalKeyProvider({ key: newRoot })
      const keysBefore = await listDataKeys(store.db)
      const summary = await rotateRootKey(deps(), from, to)
      assert.equal(summary.dataKeys, keysBefore.length)
      await assert.rejects(rotateRootKey(deps(), from, openLocalKeyProvider({ key: newRoot })), { code: 'COFFRE_ROOT_KEY_INVALID' })
      await assert.rejects(Keyring.open(createDataKeyStore(store.db), openLocalKeyProvider({ key: rootKey })), { code: 'COFFRE_ROOT_KEY_INVALID' })
      const reopened = await Keyring.open(createDataKeyStore(store.db), openLocalKeyProvider({ key: newRoot }))
      await decryptAll(store, reopened)
      keyring = reopened
      const audit = await store.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'keys.rotate-root').execute()
      assert.equal(audit.length, 1)
      assert.doesNotMatch(audit[0]!.details, new RegExp(Buffer.from(newRoot).toString('hex')))
      await assert.rejects(rotateRootKey(deps(), to, openLocalKeyProvider({ key: newRoot })), { code: 'COFFRE_CONFLICT' })
    })

    test('due-check: cryptoperiod and nonce-budget fraction', async () => {
      const policy = { nonceBudget: 10 ** 9, cryptoperiodDays: 90 }
      assert.equal((await checkRotationDue(store.db, policy)).due, false)
      const later = new Date(Date.now() + 91 * 86_400_000)
      const byAge = await checkRotationDue(store.db, { ...policy, now: later })
      assert.equal(byAge.due, true)
      assert.match(byAge.reasons[0]!, /cryptoperiod/)
      const byBudget = await checkRotationDue(store.db, { nonceBudget: 1000, budgetFraction: 0.5 })
      assert.equal(byBudget.due, true)
      assert.match(byBudget.reasons[0]!, /nonce budget/)
    })
  })
}
