/**
 * `coffre derive …` and `coffre pairs …` through the real CLI: pure derive commands with a key file
 * open no vault; user forms and pairs work on an embedded vault; bad inputs exit non-zero with a typed
 * error and write nothing.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { deriveChildKeyPair, findPublicKeyInIdentity, getDerivedPublicKeys } from '../../src/index.ts'
import { runCoffre } from '../support/cli.ts'

const PARENT = 'c0ffee'.padEnd(64, '7')
const main = getDerivedPublicKeys(PARENT, 0)[0] as string
const other = (i: number) => deriveChildKeyPair('44'.repeat(32), i).publicKey

describe('coffre derive and coffre pairs', () => {
  let dir: string
  let keyFile: string
  let identityKeys: string[] = [] // user 31's [main, derived(0…3)], from the test above
  const vaultDir = () => join(dir, 'vault')
  const coffre = (args: string[], stdin?: string) =>
    runCoffre(['--data-dir', vaultDir(), ...args], { env: { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined }, ...(stdin === undefined ? {} : { stdin }) })
  const failsWith = async (args: string[], code: string) => {
    const result = await coffre([...args, '--json'])
    assert.notEqual(result.code, 0, `${args.join(' ')} should fail`)
    assert.equal(result.stdout, '', args.join(' '))
    assert.match(result.stderr, new RegExp(code), `${args.join(' ')}: ${result.stderr}`)
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-pairs-cli-'))
    keyFile = join(dir, 'parent.key')
    writeFileSync(keyFile, `0x${PARENT.toUpperCase()}\n`)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('derive child/list/belongs with --private-key-file (or - for stdin) need no vault', async () => {
    const d4 = deriveChildKeyPair(PARENT, 4).publicKey
    const [child, list, yes, isMain] = await Promise.all([
      coffre(['derive', 'child', '--index', '5', '--private-key-file', keyFile, '--json']),
      coffre(['derive', 'list', '--count', '3', '--private-key-file', '-', '--json'], `${PARENT}\n`),
      coffre(['derive', 'belongs', '--public-key', d4, '--max-derived', '5', '--private-key-file', keyFile, '--json']),
      coffre(['derive', 'belongs', '--public-key', main, '--private-key-file', keyFile, '--json']),
    ])
    assert.equal(child.code, 0, child.stderr)
    assert.deepEqual(child.json, deriveChildKeyPair(PARENT, 5))
    assert.deepEqual(list.json, { publicKeys: getDerivedPublicKeys(PARENT, 3), nextOffset: null })
    assert.deepEqual(yes.json, { belongs: true, index: 4 })
    assert.deepEqual(isMain.json, { belongs: true, index: 'main' })
    assert.equal(existsSync(vaultDir()), false, 'no store was opened')
  })

  test('derive: bad inputs are typed errors, non-zero exit, nothing written', async () => {
    writeFileSync(join(dir, 'bad.key'), 'not a key')
    await Promise.all([
      failsWith(['derive', 'child', '--index', '1.5', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT'),
      failsWith(['derive', 'child', '--index', '1', '--private-key-file', join(dir, 'bad.key')], 'COFFRE_INVALID_INPUT'),
      failsWith(['derive', 'child', '--index', '1'], 'COFFRE_INVALID_INPUT'),
      failsWith(['derive', 'list', '--count', '2', '--private-key-file', keyFile, '--telegram-id', '5'], 'COFFRE_INVALID_INPUT'),
      failsWith(['derive', 'belongs', '--public-key', '02abc', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT'),
      (async () => {
        const noKeyArg = await coffre(['derive', 'child', '--index', '1', '--private-key', PARENT])
        assert.notEqual(noKeyArg.code, 0, 'a private key is never taken from argv')
        assert.equal(noKeyArg.stdout, '')
      })(),
    ])
    assert.equal(existsSync(vaultDir()), false)
  })

  test("derive with --telegram-id: the user's identity key; a derived private key needs --yes and is audited", async () => {
    assert.equal((await coffre(['init', '--json'])).code, 0)
    const user = await coffre(['users', 'create', '--telegram-id', '31', '--json'])
    assert.equal(user.code, 0, user.stderr)
    const list = await coffre(['derive', 'list', '--count', '4', '--telegram-id', '31', '--json'])
    assert.equal(list.code, 0, list.stderr)
    assert.equal(list.json.publicKeys.length, 5)
    assert.equal(list.json.publicKeys[0], user.json.identityPublicKey)
    assert.equal(list.json.nextOffset, null)
    // More than a page: the vault answers one page of at most 1,000 derived keys and names the next.
    const first = await coffre(['derive', 'list', '--count', '1200', '--telegram-id', '31', '--json'])
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual([first.json.publicKeys.length, first.json.nextOffset], [1001, 1000])
    const second = await coffre(['derive', 'list', '--count', '1200', '--offset', '1000', '--telegram-id', '31', '--json'])
    assert.deepEqual([second.json.publicKeys.length, second.json.nextOffset], [200, null])
    assert.deepEqual(first.json.publicKeys.slice(0, 5), list.json.publicKeys)
    const belongs = await coffre(['derive', 'belongs', '--public-key', list.json.publicKeys[3], '--max-derived', '4', '--telegram-id', '31', '--json'])
    assert.deepEqual(belongs.json, { belongs: true, index: 2 })
    await failsWith(['derive', 'child', '--index', '2', '--telegram-id', '31'], 'COFFRE_INVALID_INPUT')
    const child = await coffre(['derive', 'child', '--index', '2', '--telegram-id', '31', '--yes', '--reason', 'test', '--json'])
    assert.equal(child.code, 0, child.stderr)
    assert.equal(child.json.publicKey, list.json.publicKeys[3])
    assert.equal(findPublicKeyInIdentity(child.json.privateKey, child.json.publicKey, 0), 'main')
    identityKeys = list.json.publicKeys
  })

  test('pairs create/show/list/add-key/remove-key/contains/keys/delete', async () => {
    const uuid = '11111111-2222-4333-8444-555555555555'
    const created = await coffre(['pairs', 'create', '--uuid', uuid, '--label', 'laptop', '--public-key', `${other(0)},${other(1)}`, '--public-key', other(2), '--json'])
    assert.equal(created.code, 0, created.stderr)
    assert.deepEqual({ ...created.json, createdAt: 0, updatedAt: 0 }, { uuid, label: 'laptop', userId: null, publicKey: other(0), publicKeys: [other(1), other(2)], derivedCount: 0, createdAt: 0, updatedAt: 0 })
    assert.deepEqual((await coffre(['pairs', 'show', '--uuid', uuid, '--json'])).json, created.json)
    const added = await coffre(['pairs', 'add-key', '--uuid', uuid, '--public-key', other(3), '--public-key', other(0), '--json'])
    assert.deepEqual(added.json.publicKeys, [other(1), other(2), other(3)])
    const removed = await coffre(['pairs', 'remove-key', '--uuid', uuid, '--public-key', other(1), '--json'])
    assert.deepEqual(removed.json.publicKeys, [other(2), other(3)])
    const [contains, keys] = await Promise.all([
      coffre(['pairs', 'contains', '--uuid', uuid, '--public-key', other(1), '--json']),
      coffre(['pairs', 'keys', '--uuid', uuid, '--json']),
    ])
    assert.deepEqual(contains.json, { contains: false })
    assert.deepEqual(keys.json, { uuid, publicKeys: [other(0), other(2), other(3)] })

    const local = await coffre(['pairs', 'create', '--telegram-id', '31', '--derived-count', '3', '--json'])
    assert.equal(local.code, 0, local.stderr)
    assert.equal(local.json.publicKey, identityKeys[0])
    const [localKeys, inside, outside] = await Promise.all([
      coffre(['pairs', 'keys', '--uuid', local.json.uuid, '--json']),
      coffre(['pairs', 'contains', '--uuid', local.json.uuid, '--public-key', identityKeys[3] as string, '--json']),
      coffre(['pairs', 'contains', '--uuid', local.json.uuid, '--public-key', identityKeys[3] as string, '--max-derived', '2', '--json']),
    ])
    assert.deepEqual(localKeys.json.publicKeys, identityKeys.slice(0, 4))
    assert.deepEqual(inside.json, { contains: true })
    assert.deepEqual(outside.json, { contains: false })

    const listed = await coffre(['pairs', 'list', '--json'])
    assert.deepEqual(listed.json.pairs.map((p: { uuid: string }) => p.uuid).sort(), [uuid, local.json.uuid].sort())
    const deleted = await coffre(['pairs', 'delete', '--uuid', uuid, '--json'])
    assert.equal(deleted.json.deleted, true)
    const [gone, verified] = await Promise.all([coffre(['pairs', 'show', '--uuid', uuid, '--json']), coffre(['audit', 'verify', '--json'])])
    assert.match(gone.stderr, /COFFRE_NOT_FOUND/)
    assert.equal(verified.code, 0)
  })

  test('pairs: bad inputs are typed errors, non-zero exit, nothing written', async () => {
    const before = (await coffre(['pairs', 'list', '--json'])).json
    const uuid = '99999999-2222-4333-8444-555555555555'
    await Promise.all([
      failsWith(['pairs', 'create', '--uuid', 'nope', '--public-key', other(0)], 'COFFRE_INVALID_INPUT'),
      failsWith(['pairs', 'create', '--uuid', uuid, '--public-key', `${other(0)},02zz`], 'COFFRE_INVALID_INPUT'),
      failsWith(['pairs', 'create', '--uuid', uuid, '--telegram-id', '31', '--public-key', other(0)], 'COFFRE_INVALID_INPUT'),
      failsWith(['pairs', 'create', '--uuid', uuid, '--telegram-id', '404'], 'COFFRE_NOT_FOUND'),
      failsWith(['pairs', 'create', '--telegram-id', '31'], 'COFFRE_CONFLICT'),
      failsWith(['pairs', 'add-key', '--uuid', uuid], 'COFFRE_INVALID_INPUT'),
      failsWith(['pairs', 'add-key', '--uuid', uuid, '--public-key', other(5)], 'COFFRE_NOT_FOUND'),
    ])
    assert.deepEqual((await coffre(['pairs', 'list', '--json'])).json, before)
  })
})
