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
    const child = await coffre(['derive', 'child', '--index', '5', '--private-key-file', keyFile, '--json'])
    assert.equal(child.code, 0, child.stderr)
    assert.deepEqual(child.json, deriveChildKeyPair(PARENT, 5))
    const list = await coffre(['derive', 'list', '--count', '3', '--private-key-file', '-', '--json'], `${PARENT}\n`)
    assert.deepEqual(list.json, { publicKeys: getDerivedPublicKeys(PARENT, 3) })
    const d4 = deriveChildKeyPair(PARENT, 4).publicKey
    const yes = await coffre(['derive', 'belongs', '--public-key', d4, '--max-derived', '5', '--private-key-file', keyFile, '--json'])
    assert.deepEqual(yes.json, { belongs: true, index: 4 })
    const no = await coffre(['derive', 'belongs', '--public-key', d4, '--max-derived', '4', '--private-key-file', keyFile, '--json'])
    assert.deepEqual(no.json, { belongs: false, index: null })
    const isMain = await coffre(['derive', 'belongs', '--public-key', main, '--private-key-file', keyFile, '--json'])
    assert.deepEqual(isMain.json, { belongs: true, index: 'main' })
    assert.equal(existsSync(vaultDir()), false, 'no store was opened')
  })

  test('derive: bad inputs are typed errors, non-zero exit, nothing written', async () => {
    writeFileSync(join(dir, 'bad.key'), 'not a key')
    await failsWith(['derive', 'child', '--index', '-1', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT|error')
    await failsWith(['derive', 'child', '--index', '1.5', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'child', '--index', '1', '--private-key-file', join(dir, 'bad.key')], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'child', '--index', '1', '--private-key-file', join(dir, 'missing.key')], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'child', '--index', '1'], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'child', '--index', '1', '--private-key-file', keyFile, '--telegram-id', '5'], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'list', '--count', '1000001', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'belongs', '--public-key', '02abc', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT')
    await failsWith(['derive', 'belongs', '--public-key', main, '--max-derived', 'x', '--private-key-file', keyFile], 'COFFRE_INVALID_INPUT')
    const noKeyArg = await coffre(['derive', 'child', '--index', '1', '--private-key', PARENT])
    assert.notEqual(noKeyArg.code, 0, 'a private key is never taken from argv')
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
    const belongs = await coffre(['derive', 'belongs', '--public-key', list.json.publicKeys[3], '--max-derived', '4', '--telegram-id', '31', '--json'])
    assert.deepEqual(belongs.json, { belongs: true, index: 2 })
    await failsWith(['derive', 'child', '--index', '2', '--telegram-id', '31'], 'COFFRE_INVALID_INPUT')
    const child = await coffre(['derive', 'child', '--index', '2', '--telegram-id', '31', '--yes', '--reason', 'test', '--json'])
    assert.equal(child.code, 0, child.stderr)
    assert.equal(child.json.publicKey, list.json.publicKeys[3])
    assert.equal(findPublicKeyInIdentity(child.json.privateKey, child.json.publicKey, 0), 'main')
    assert.equal((await coffre(['audit', 'verify', '--json'])).code, 0)
    await failsWith(['derive', 'list', '--count', '2', '--telegram-id', '404'], 'COFFRE_NOT_FOUND')
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
    assert.deepEqual((await coffre(['pairs', 'contains', '--uuid', uuid, '--public-key', other(3), '--json'])).json, { contains: true })
    assert.deepEqual((await coffre(['pairs', 'contains', '--uuid', uuid, '--public-key', other(1), '--json'])).json, { contains: false })
    assert.deepEqual((await coffre(['pairs', 'keys', '--uuid', uuid, '--json'])).json, { uuid, publicKeys: [other(0), other(2), other(3)] })

    const local = await coffre(['pairs', 'create', '--telegram-id', '31', '--derived-count', '3', '--json'])
    assert.equal(local.code, 0, local.stderr)
    const identity = await coffre(['derive', 'list', '--count', '3', '--telegram-id', '31', '--json'])
    assert.equal(local.json.publicKey, identity.json.publicKeys[0])
    assert.deepEqual((await coffre(['pairs', 'keys', '--uuid', local.json.uuid, '--json'])).json.publicKeys, identity.json.publicKeys)
    assert.deepEqual((await coffre(['pairs', 'contains', '--uuid', local.json.uuid, '--public-key', identity.json.publicKeys[3], '--json'])).json, { contains: true })
    assert.deepEqual((await coffre(['pairs', 'contains', '--uuid', local.json.uuid, '--public-key', identity.json.publicKeys[3], '--max-derived', '2', '--json'])).json, { contains: false })

    const listed = await coffre(['pairs', 'list', '--json'])
    assert.deepEqual(listed.json.pairs.map((p: { uuid: string }) => p.uuid).sort(), [uuid, local.json.uuid].sort())
    const deleted = await coffre(['pairs', 'delete', '--uuid', uuid, '--json'])
    assert.equal(deleted.json.deleted, true)
    await failsWith(['pairs', 'show', '--uuid', uuid], 'COFFRE_NOT_FOUND')
    assert.equal((await coffre(['audit', 'verify', '--json'])).code, 0)
  })

  test('pairs: bad inputs are typed errors, non-zero exit, nothing written', async () => {
    const before = (await coffre(['pairs', 'list', '--json'])).json
    const uuid = '99999999-2222-4333-8444-555555555555'
    await failsWith(['pairs', 'create', '--uuid', 'nope', '--public-key', other(0)], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'create', '--uuid', uuid, '--public-key', `${other(0)},02zz`], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'create', '--uuid', uuid, '--telegram-id', '31', '--public-key', other(0)], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'create', '--uuid', uuid, '--telegram-id', '404'], 'COFFRE_NOT_FOUND')
    await failsWith(['pairs', 'create', '--uuid', uuid, '--public-key', other(0), '--derived-count', '2'], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'create', '--telegram-id', '31'], 'COFFRE_CONFLICT')
    await failsWith(['pairs', 'add-key', '--uuid', uuid], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'add-key', '--uuid', uuid, '--public-key', other(5)], 'COFFRE_NOT_FOUND')
    await failsWith(['pairs', 'contains', '--uuid', uuid, '--public-key', 'abc'], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'list', '--limit', '0'], 'COFFRE_INVALID_INPUT')
    await failsWith(['pairs', 'delete', '--uuid', uuid], 'COFFRE_NOT_FOUND')
    assert.deepEqual((await coffre(['pairs', 'list', '--json'])).json, before)
  })
})
