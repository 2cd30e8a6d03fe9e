/**
 * An interrupted root-key rotation completes when the same command runs again, on both engines:
 * killed before its commit it changed nothing (the new key file may exist: it is reused); killed
 * after, the vault is already on the new key and the re-run says so and exits 0. Real processes,
 * `coffre keys rotate-root` killed with SIGKILL at random moments, plus the two deterministic edges.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { openVault } from '../../../src/vault/openVault.ts'
import { runCoffre } from '../../support/cli.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { killDuringRun } from '../../support/killDuringRun.ts'

for (const engine of ENGINES) {
  describe(`an interrupted root-key rotation completes on ${engine}`, () => {
    let testStore: TestStore
    let store: string[]
    let current: string
    const keyFile = (name: string) => join(testStore.dir, name)
    const run = (args: string[]) => runCoffre([...store, '--key-file', current, ...args], { env: { COFFRE_MASTER_KEY: undefined }, timeoutMs: 60_000 })
    const rotateTo = (file: string) => ['keys', 'rotate-root', '--to', 'local', '--to-key-file', file, '--json']
    /** Which of the two files opens the vault (exactly one must). */
    const opener = async (a: string, b: string) => {
      const opens = async (file: string) => (await runCoffre([...store, '--key-file', file, 'keys', 'list', '--json'], { env: { COFFRE_MASTER_KEY: undefined }, timeoutMs: 60_000 })).code === 0
      const [byA, byB] = [await opens(a), await opens(b)]
      assert.notEqual(byA, byB, 'exactly one root key opens the vault')
      return byA ? a : b
    }
    const assertWhole = async () => {
      const doctor = await run(['doctor', '--json'])
      assert.equal(doctor.json?.ok, true, doctor.stdout + doctor.stderr)
    }

    before(async () => {
      testStore = await createTestStore(engine)
      store = engine === 'sqlite' ? ['--data-dir', testStore.dir] : ['--database-url', (testStore.config as { url: string }).url]
      current = keyFile('root-0.key')
      writeFileSync(current, randomBytes(32), { mode: 0o600 })
      const vault = await openVault({ store: testStore.config, rootKey: { kind: 'local', keyFile: current }, mnemonicWords: 12 })
      try {
        await vault.users.ensureMany(Array.from({ length: 20 }, (_, i) => ({ telegramUserId: 3_000 + i })))
        await vault.keys.rotateData() // two data keys: one retired, one active
      } finally {
        await vault.close()
      }
    })
    after(async () => testStore.cleanup())

    test('killed after its commit: the same command run again reports the rotation done and exits 0', async () => {
      const next = keyFile('root-1.key')
      const done = await run(rotateTo(next))
      assert.equal(done.code, 0, done.stderr)
      const again = await run(rotateTo(next))
      assert.equal(again.code, 0, again.stderr)
      assert.equal(again.json.alreadyRotated, true)
      assert.equal(again.json.to.keyRef, done.json.to.keyRef)
      // Another target is still refused: the old key does not open the vault.
      const other = await run(rotateTo(keyFile('root-unrelated.key')))
      assert.equal(other.code, 1)
      assert.match(other.stderr, /COFFRE_ROOT_KEY_INVALID/)
      current = next
      await assertWhole()
    })

    test('killed before its commit: the new key file is left, nothing else; the same command run again completes', async () => {
      const next = keyFile('root-2.key')
      writeFileSync(next, randomBytes(32), { mode: 0o600 }) // what a run killed after creating the file leaves
      const resumed = await run(rotateTo(next))
      assert.equal(resumed.code, 0, resumed.stderr)
      assert.equal(resumed.json.createdKeyFile, false)
      assert.equal(await opener(current, next), next)
      current = next
      await assertWhole()
    })

    test('killed at random moments, then run again: always completes on the new key, doctor ok', async () => {
      for (let round = 3; round < 6; round++) {
        const next = keyFile(`root-${round}.key`)
        const started = Date.now()
        const delay = Math.floor(Math.random() * 1_500)
        await killDuringRun([...store, '--key-file', current, ...rotateTo(next)], { COFFRE_MASTER_KEY: '' }, async () => Date.now() - started >= delay)
        if (existsSync(next)) assert.ok([current, next].includes(await opener(current, next)))
        const finished = await run(rotateTo(next))
        assert.equal(finished.code, 0, `round ${round}: ${finished.stderr}`)
        assert.equal(await opener(current, next), next)
        current = next
      }
      await assertWhole()
    })
  })
}
