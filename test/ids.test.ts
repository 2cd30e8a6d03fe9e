import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newDataKeyId, newUuidV7, UUID_PATTERN } from '../src/ids.ts'
import { isDataKeyId } from '../src/crypto/secretField.ts'

test('UUIDv7 ids are strictly increasing, also many within one millisecond', () => {
  const ids = Array.from({ length: 20_000 }, () => newUuidV7())
  const millis = new Set(ids.map((id) => id.slice(0, 13)))
  assert.ok(millis.size < ids.length / 2, 'the loop made several ids per millisecond (else this test proves nothing)')
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `id ${i} sorts after id ${i - 1}`)
  for (const id of ids.slice(0, 100)) {
    assert.match(id, UUID_PATTERN)
    assert.equal(id[14], '7', 'version 7')
    assert.match(id[19]!, /[89ab]/, 'RFC 9562 variant')
  }
  const ms = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)
  assert.ok(Math.abs(ms - Date.now()) < 60_000, 'the first 48 bits are the unix time in milliseconds')
})

test('data-key ids keep their dk_ form and are strictly increasing', () => {
  const ids = Array.from({ length: 2_000 }, () => newDataKeyId())
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!)
  for (const id of ids.slice(0, 50)) assert.ok(isDataKeyId(id), id)
})
