/**
 * The TypeScript client against a real Coffre service on a socket (SQLite vault, stand-in CLOB):
 * every method group, results checked with independent verifiers (viem, noble), errors as
 * CoffreApiError, and Idempotency-Key replays.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base58 } from '@scure/base'
import { getAddress, parseTransaction, recoverTransactionAddress, verifyMessage, verifyTypedData, type Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { createCoffreClient, isCoffreApiError, type CoffreClient } from '../../src/client/index.ts'
import { openExportEnvelope } from '../../src/crypto/exportEnvelope.ts'
import { eventually } from '../support/eventually.ts'
import { startLiveService, type LiveService } from './liveService.ts'

let service: LiveService
let coffre: CoffreClient
let userId: string

before(async () => {
  service = await startLiveService({ clob: true })
  coffre = createCoffreClient({ baseUrl: `${service.url}/`, token: service.token })
  userId = (await coffre.users.create({ telegramUserId: 42, username: 'alice' })).id
})
after(async () => service?.close())

const rejectsWith = (code: string, status: number) => (e: unknown) => isCoffreApiError(e) && e.code === code && e.status === status

describe('users', () => {
  test('create is idempotent per telegram id; get, findByTelegramId and list agree', async () => {
    const again = await coffre.users.create({ telegramUserId: 42 })
    assert.deepEqual([again.id, again.created, again.username], [userId, false, 'alice'])
    const fresh = await coffre.users.create({ telegramUserId: 43 })
    assert.equal(fresh.created, true)
    const { created: _created, ...stored } = again
    assert.deepEqual(await coffre.users.get(userId), { ...stored, onboardingStage: 'created' })
    assert.equal((await coffre.users.findByTelegramId(43))?.id, fresh.id)
    assert.equal(await coffre.users.findByTelegramId(4_400_000), null)
    const first = await coffre.users.list({ limit: 1 })
    assert.equal(first.users.length, 1)
    const second = await coffre.users.list({ limit: 1, cursor: first.nextCursor! })
    assert.notEqual(second.users[0]?.id, first.users[0]?.id)
  })

  test('import derives the MetaMask address of a mnemonic; export is sealed to the caller', async () => {
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow'
    const imported = await coffre.users.import({ telegramUserId: 77, mnemonic })
    assert.equal(imported.created, true)
    assert.equal(imported.polygonAddress, mnemonicToAccount(mnemonic).address)
    const { publicKey, privateKey } = generateKeyPairSync('x25519')
    const raw = (der: Buffer) => new Uint8Array(der.subarray(-32))
    const envelope = await coffre.users.export(imported.id, { recipientPublicKey: Buffer.from(raw(publicKey.export({ format: 'der', type: 'spki' }))).toString('base64'), reason: 'client test' })
    const opened = JSON.parse(Buffer.from(await openExportEnvelope(raw(privateKey.export({ format: 'der', type: 'pkcs8' })), envelope, imported.id)).toString('utf8'))
    assert.equal(opened.mnemonic, mnemonic)
  })

  test('errors: unknown user, bad input, bad token, missing scope', async () => {
    await assert.rejects(coffre.users.get('00000000-0000-4000-8000-000000000000'), rejectsWith('COFFRE_NOT_FOUND', 404))
    await assert.rejects(coffre.users.create({ telegramUserId: -1 }), rejectsWith('COFFRE_INVALID_INPUT', 400))
    await assert.rejects(createCoffreClient({ baseUrl: service.url, token: 'cfr_nope' }).users.get(userId), rejectsWith('COFFRE_UNAUTHORIZED', 401))
    const { token } = await service.test.vault.tokens.create({ name: 'reader', scopes: ['users:read'], policy: 'allow-all' })
    await assert.rejects(createCoffreClient({ baseUrl: service.url, token }).sign.message(userId, { chain: 'polygon', message: 'x' }), rejectsWith('COFFRE_FORBIDDEN', 403))
  })

  test('an explicit Idempotency-Key replays the first reply; reused with another body it is refused', async () => {
    const one = await coffre.users.create({ telegramUserId: 9001 }, { idempotencyKey: 'signup-9001' })
    const replay = await coffre.users.create({ telegramUserId: 9001 }, { idempotencyKey: 'signup-9001' })
    assert.deepEqual([replay.id, replay.created], [one.id, true], 'the recorded 201 is replayed')
    await assert.rejects(coffre.users.create({ telegramUserId: 9002 }, { idempotencyKey: 'signup-9001' }), rejectsWith('COFFRE_IDEMPOTENCY_MISMATCH', 422))
  })
})

describe('signing', () => {
  test('messages: EIP-191 on polygon, ed25519 on solana, text or bytes', async () => {
    const user = await coffre.users.get(userId)
    const evm = await coffre.sign.message(userId, { chain: 'polygon', message: 'hello' })
    assert.equal(await verifyMessage({ address: user.polygonAddress as Hex, message: 'hello', signature: evm.signature as Hex }), true)
    const bytes = new Uint8Array([0, 1, 2, 250])
    const sol = await coffre.sign.message(userId, { chain: 'solana', message: bytes })
    assert.equal(sol.address, user.solanaAddress)
    assert.equal(ed25519.verify(base58.decode(sol.signature), bytes, base58.decode(user.solanaAddress)), true)
  })

  test('typed data with bigints; an EIP-1559 transaction viem parses and recovers', async () => {
    const user = await coffre.users.get(userId)
    const typedData = {
      domain: { name: 'Mail', version: '1', chainId: 137n },
      types: { Mail: [{ name: 'amount', type: 'uint256' }, { name: 'note', type: 'bytes' }] },
      primaryType: 'Mail',
      message: { amount: 2n ** 200n, note: new Uint8Array([1, 2, 3]) },
    } as const
    const signed = await coffre.sign.typedData(userId, typedData)
    // viem types `bytes` as hex; Coffre's client also takes a Uint8Array and sends it as hex.
    assert.equal(await verifyTypedData({ ...typedData, message: { ...typedData.message, note: '0x010203' }, address: user.polygonAddress as Hex, signature: signed.signature as Hex }), true)
    const tx = { chainId: 137, nonce: 3n, to: '0x000000000000000000000000000000000000dEaD', value: 10n ** 18n, gas: 21_000, maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: '30000000000' }
    const reply = await coffre.sign.evmTransaction(userId, tx)
    const parsed = parseTransaction(reply.serializedTransaction as Hex)
    assert.deepEqual([parsed.type, parsed.nonce, parsed.value, parsed.maxPriorityFeePerGas], ['eip1559', 3, 10n ** 18n, 30_000_000_000n])
    assert.equal(await recoverTransactionAddress({ serializedTransaction: reply.serializedTransaction as never }), getAddress(user.polygonAddress))
  })
})

describe('derived keys and pairs', () => {
  test('list, belongs, and a pair through its life', async () => {
    const page = await coffre.derivedKeys.list(userId, { count: 3 })
    assert.equal(page.publicKeys.length, 4)
    assert.deepEqual(await coffre.derivedKeys.belongs(userId, { publicKey: page.publicKeys[2]!, maxDerived: 3 }), { belongs: true, index: 1 })
    const pair = await coffre.pairs.create({ label: 'phone', publicKey: page.publicKeys[1]! })
    assert.equal((await coffre.pairs.get(pair.uuid)).label, 'phone')
    assert.deepEqual((await coffre.pairs.addKeys(pair.uuid, [page.publicKeys[3]!])).publicKeys, [page.publicKeys[3]])
    assert.equal(await coffre.pairs.contains(pair.uuid, { publicKey: page.publicKeys[3]! }), true)
    await coffre.pairs.removeKey(pair.uuid, page.publicKeys[3]!)
    assert.equal(await coffre.pairs.contains(pair.uuid, { publicKey: page.publicKeys[3]! }), false)
    assert.ok((await coffre.pairs.list()).pairs.some((p) => p.uuid === pair.uuid))
    await coffre.pairs.delete(pair.uuid)
    await assert.rejects(coffre.pairs.get(pair.uuid), rejectsWith('COFFRE_NOT_FOUND', 404))
  })
})

describe('polymarket', () => {
  test('credentials: create-or-derive, list, rotate, revoke; an order placed, read back and listed', async () => {
    const created = await coffre.polymarket.credentials.createOrDerive(userId)
    assert.ok(service.clob!.state.keys.has(created.apiKey))
    assert.deepEqual((await coffre.polymarket.credentials.list(userId)).clobApiKeys, [created.apiKey])
    const rotated = await coffre.polymarket.credentials.rotate(userId)
    assert.deepEqual(rotated.revoked, [created.apiKey])
    const order = await coffre.polymarket.orders.place(userId, { tokenId: '4001', side: 'BUY', price: 0.35, size: 20, tickSize: '0.01', negRisk: false })
    assert.deepEqual([order.status, order.clobStatus, order.makerAmount], ['sent', 'live', '7000000'])
    assert.ok(service.clob!.state.orders.has(order.orderHash), 'the stand-in CLOB verified and recorded it')
    assert.equal((await coffre.polymarket.orders.get(order.orderHash)).status, 'sent')
    assert.deepEqual((await coffre.polymarket.orders.list({ userId, status: 'sent' })).map((o) => o.orderHash), [order.orderHash])
    const revoked = await coffre.polymarket.credentials.revoke(userId, rotated.current.apiKey)
    assert.equal(revoked.state, 'revoked')
  })
})

describe('operator calls', () => {
  test('keys, rotation start, audit verify, doctor', async () => {
    const keyring = await coffre.keys.list()
    assert.equal(keyring.keys.length, 1)
    const rotating = await coffre.keys.rotateData()
    assert.equal(rotating.provider.kind, 'local')
    await eventually('a new active data key', async () => ((await coffre.keys.list()).activeDataKeyId !== keyring.activeDataKeyId ? true : undefined))
    assert.equal((await coffre.audit.verify()).ok, true)
    const doctor = await coffre.doctor({ secrets: false })
    assert.ok(doctor.checks.some((c) => c.name === 'audit-chain'))
  })
})
