import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { UserWithWallets } from '../../../src/store/users.ts'
import { UserRowCache } from '../../../src/vault/users/userRowCache.ts'

function rows(id: string, telegramUserId: number, address: string): UserWithWallets {
  return {
    user: { id, telegram_user_id: telegramUserId },
    wallets: [{ user_id: id, chain: 'polygon', address }],
  } as unknown as UserWithWallets
}

describe('UserRowCache', () => {
  it('finds a user by id, telegram id and address (any case)', () => {
    const cache = new UserRowCache(4)
    const alice = rows('u1', 42, '0xAbC')
    cache.set(alice)
    assert.equal(cache.get({ id: 'u1' }), alice)
    assert.equal(cache.get({ telegramUserId: 42 }), alice)
    assert.equal(cache.get({ address: '0xabc' }), alice)
  })

  it('an evicted user takes its aliases with it; a newer holder of an alias keeps it', () => {
    const cache = new UserRowCache(2)
    cache.set(rows('u1', 1, '0xa'))
    cache.set(rows('u2', 2, '0xb'))
    cache.get({ id: 'u1' }) // u2 is now the least recently used
    cache.set(rows('u3', 3, '0xc'))
    assert.equal(cache.get({ telegramUserId: 2 }), undefined)
    assert.equal(cache.get({ address: '0xb' }), undefined)
    assert.equal(cache.get({ telegramUserId: 1 })?.user.id, 'u1')
    // u4 takes telegram id 1 over from u1; invalidating u1 must not remove u4's alias.
    cache.set(rows('u4', 1, '0xd'))
    cache.invalidate('u1')
    assert.equal(cache.get({ telegramUserId: 1 })?.user.id, 'u4')
  })

  it('invalidate and clear forget the rows and every alias', () => {
    const cache = new UserRowCache(4)
    cache.set(rows('u1', 1, '0xa'))
    cache.invalidate('u1')
    assert.equal(cache.get({ telegramUserId: 1 }), undefined)
    cache.set(rows('u2', 2, '0xb'))
    cache.clear()
    assert.equal(cache.get({ address: '0xb' }), undefined)
  })
})
