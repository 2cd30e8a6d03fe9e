import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { runCoffre } from '../support/cli.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'

describe('coffre backup split / restore (restore drill) and keys rotate-root on a local key', () => {
  let dir: string
  const env = { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined, COFFRE_KEY_FILE: undefined }
  const coffre = (args: string[], options: { dataDir?: string; stdin?: string } = {}) =>
    runCoffre(['--data-dir', options.dataDir ?? join(dir, 'vault'), ...args], { env, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) })
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content)
    return join(dir, name)
  }
  /** The same commands in this process (no child start), for the many negative cases. */
  const local = (args: string[], dataDir?: string) => coffreInProcess(['--data-dir', dataDir ?? join(dir, 'vault'), ...args], env)
  let shares: string[] = []

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-backup-'))
    assert.equal((await local(['init'])).code, 0)
    assert.equal((await local(['users', 'create', '--telegram-id', '42'])).code, 0)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('split → delete the key file → restore from share files → doctor ok; the key file is 0600', async () => {
    const split = await coffre(['backup', 'split', '--shares', '5', '--threshold', '3', '--json'])
    assert.equal(split.code, 0, split.stderr)
    shares = split.json.shares
    assert.equal(shares.length, 5)
    unlinkSync(join(dir, 'vault', 'root.key'))
    const broken = await coffre(['doctor'])
    assert.equal(broken.code, 1)
    assert.match(broken.stderr, /COFFRE_ROOT_KEY_MISSING/)
    const restored = await coffre(['backup', 'restore', '--share-file', file('s1', `${shares[4]}\n`), '--share-file', file('s2', `# custodian 2\n${shares[1]}\n${shares[2]}\n`), '--out', join(dir, 'vault', 'root.key'), '--json'])
    assert.equal(restored.code, 0, restored.stderr)
    assert.equal(statSync(join(dir, 'vault', 'root.key')).mode & 0o777, 0o600)
    const doctor = await coffre(['doctor', '--json'])
    assert.equal(doctor.code, 0, doctor.stdout)
    assert.equal(doctor.json.ok, true)
  })

  test('restore reads shares from stdin and refuses to overwrite an existing key file', async () => {
    const out = join(dir, 'again.key')
    assert.equal((await coffre(['backup', 'restore', '--out', out], { stdin: shares.slice(0, 3).join('\n') })).code, 0)
    const again = await local(['backup', 'restore', '--share-file', file('three', shares.slice(0, 3).join('\n')), '--out', out])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /COFFRE_CONFLICT/)
  })

  test('every wrong-share case is COFFRE_BACKUP_INVALID with a non-zero exit and writes no key file', async () => {
    const other = await local(['backup', 'split', '--shares', '3', '--threshold', '2', '--json'])
    const otherDir = join(dir, 'other')
    assert.equal((await local(['init'], otherDir)).code, 0)
    const foreign = (await local(['backup', 'split', '--shares', '3', '--threshold', '2', '--json'], otherDir)).json.shares as string[]
    const tampered = shares[0]!.replace(/-([0-9A-Z])([0-9A-Z]{5})-/, (_m, c: string, rest: string) => `-${c === 'A' ? 'B' : 'A'}${rest}-`)
    assert.notEqual(tampered, shares[0])
    const cases: Record<string, string[]> = {
      'too few': shares.slice(0, 2),
      duplicate: [shares[0]!, shares[0]!, shares[1]!],
      'mixed sets': [shares[0]!, shares[1]!, other.json.shares[0]],
      mistyped: [tampered, shares[1]!, shares[2]!],
      'another vault': foreign.slice(0, 2),
      garbage: ['not a share at all', shares[1]!, shares[2]!],
      empty: [],
    }
    for (const [name, input] of Object.entries(cases)) {
      const out = join(dir, `wrong-${name.replace(/ /g, '-')}.key`)
      const result = await local(['backup', 'restore', '--share-file', file(`in-${name.replace(/ /g, '-')}`, input.join('\n')), '--out', out])
      assert.equal(result.code, 1, name)
      assert.match(result.stderr, /COFFRE_BACKUP_INVALID/, `${name}: ${result.stderr}`)
      assert.throws(() => statSync(out), `${name}: no key file written`)
    }
  })

  test('rotate-root --to local creates a new 0600 key file; afterwards only the new key opens the vault', async () => {
    const newKey = join(dir, 'rotated.key')
    const rotated = await local(['keys', 'rotate-root', '--to', 'local', '--to-key-file', newKey, '--json'])
    assert.equal(rotated.code, 0, rotated.stderr)
    assert.equal(rotated.json.createdKeyFile, true)
    assert.equal(rotated.json.to.kind, 'local')
    assert.equal(statSync(newKey).mode & 0o777, 0o600)
    const old = await local(['doctor'])
    assert.equal(old.code, 1)
    assert.match(old.stderr, /COFFRE_ROOT_KEY_INVALID/)
    const fresh = await local(['--key-file', newKey, 'doctor', '--json'])
    assert.equal(fresh.json.ok, true)
    assert.equal(fresh.json.checks.find((c: { name: string }) => c.name === 'key-provider').detail.includes(rotated.json.to.keyRef), true)
    const keys = await local(['--key-file', newKey, 'keys', 'list', '--json'])
    assert.ok(keys.json.every((k: { provider: { keyRef: string } }) => k.provider.keyRef === rotated.json.to.keyRef))
  })
})
