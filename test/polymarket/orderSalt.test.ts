import assert from 'node:assert/strict'
import { it } from 'node:test'
import { randomOrderSalt } from '../../src/polymarket/orderSalt.ts'

it('order salts are safe integers (the CLOB JSON carries them as numbers) and vary', () => {
  const salts = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    const salt = randomOrderSalt()
    assert.ok(Number.isSafeInteger(Number(salt)) && String(Number(salt)) === salt, salt)
    salts.add(salt)
  }
  assert.ok(salts.size > 1990)
  assert.ok([...salts].some((s) => Number(s) > 2 ** 50), 'uses the upper bits')
})
