import assert from 'node:assert/strict'
import { setImmediate } from 'node:timers/promises'
import { describe, it } from 'node:test'
import type pkcs11js from 'pkcs11js'
import { createSessionPool } from '../../src/keyProviders/pkcs11SessionPool.ts'

// Sessions are opaque handles here; the pool's bookkeeping is what is under test (the provider's
// SoftHSM test exercises it against a real token).
function pool(size: number) {
  const opened: pkcs11js.Handle[] = []
  const closed: pkcs11js.Handle[] = []
  const sessions = createSessionPool({
    size,
    open: () => {
      const handle = Buffer.from([opened.length])
      opened.push(handle)
      return handle
    },
    close: (handle) => closed.push(handle),
    discards: (error) => error instanceof Error && error.message === 'broken',
    closedError: () => new Error('closed'),
  })
  return { sessions, opened, closed }
}

describe('pkcs11 session pool', () => {
  it('never lends one session to two operations at once and opens at most `size`', async () => {
    const { sessions, opened } = pool(3)
    const busy = new Set<string>()
    let peak = 0
    await Promise.all(
      Array.from({ length: 50 }, () =>
        sessions.use(async (session) => {
          const key = session.toString('hex')
          assert.equal(busy.has(key), false)
          busy.add(key)
          peak = Math.max(peak, busy.size)
          await setImmediate()
          busy.delete(key)
        }),
      ),
    )
    assert.equal(opened.length, 3)
    assert.equal(peak, 3)
  })

  it('closes a session whose operation broke it and serves waiters with a fresh one', async () => {
    const { sessions, opened, closed } = pool(1)
    const first = sessions.use(async () => {
      await setImmediate()
      throw new Error('broken')
    })
    const second = sessions.use(async (session) => session)
    await assert.rejects(first, /broken/)
    assert.deepEqual(await second, opened[1])
    assert.deepEqual(closed, [opened[0]])
  })

  it('waits for borrowed sessions on close, then closes all and refuses new work', async () => {
    const { sessions, opened, closed } = pool(2)
    let finished = false
    const running = sessions.use(async () => {
      await setImmediate()
      finished = true
    })
    await sessions.close()
    assert.equal(finished, true)
    await running
    assert.deepEqual(closed, opened)
    await assert.rejects(sessions.use(async () => 1), /closed/)
  })
})
