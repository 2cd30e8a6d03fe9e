/**
 * Redis stopped while two `coffre serve` instances use it for their per-token rate limits
 * (--redis-url, --rate-limit 5 per 60 s). What an operator can rely on:
 * - Redis up: the instances share one limit per token (5 in all, then 429);
 * - Redis shut down: every instance keeps serving and keeps limiting, each from its own memory (5
 *   per instance): rate limits fail open to per-instance counting, never closed, never a 5xx;
 * - Redis back: the instances share the limit again;
 * - Redis frozen (SIGSTOP: connections open, no answers): requests are still answered within a
 *   bounded time instead of waiting on Redis.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { openVault } from '../../src/vault/openVault.ts'
import { startServe, type ServeProcess } from '../http/serveProcess.ts'
import { ENGINES } from '../support/engines.ts'
import { startRedis, type RedisServer } from '../support/redis.ts'
import { createFaultVault, type FaultVault } from './support/faultVault.ts'
import { scenario } from './support/faultTally.ts'

const LIMIT = 5

for (const engine of ENGINES) {
  describe(`Redis stopped under two coffre serve instances sharing rate limits, ${engine}`, () => {
    let redis: RedisServer
    let fv: FaultVault
    let a: ServeProcess
    let b: ServeProcess
    let userId: string
    let tokens = 0
    const newToken = async () => {
      const created = await fv.cli(['tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:read', '--name', `reader-${tokens++}`, '--json'])
      assert.equal(created.code, 0, created.stderr)
      return created.json.token as string
    }
    /** One authenticated read; its status, or `timeout` when no answer came within 10 s. */
    const read = (server: ServeProcess, token: string) =>
      fetch(`${server.url}/v1/users/${userId}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) }).then(
        async (r) => (await r.arrayBuffer(), r.status),
        (e: Error) => (e.name === 'TimeoutError' ? 'timeout' : 'network'),
      )
    const reads = async (server: ServeProcess, token: string, n: number) => {
      const statuses = []
      for (let i = 0; i < n; i++) statuses.push(await read(server, token))
      return statuses
    }
    const ok = (n: number) => Array.from({ length: n }, () => 200)

    before(async () => {
      redis = await startRedis()
      fv = await createFaultVault(engine)
      const vault = await openVault(fv.config)
      try {
        userId = (await vault.users.create({ telegramUserId: 42 })).id
      } finally {
        await vault.close()
      }
      const args = [...fv.args, '--redis-url', redis.url, '--rate-limit', String(LIMIT), '--rate-limit-window', '60', '--no-scheduler']
      ;[a, b] = await Promise.all([startServe(args), startServe(args)])
    })
    after(async () => {
      await a?.stop('SIGKILL')
      await b?.stop('SIGKILL')
      await redis?.stop()
      await fv?.cleanup()
    })
    /** A test whose outcome also goes to the `npm run faults` report. */
    const check = (name: string, body: () => Promise<void>) => test(name, () => scenario(`Redis ${name}`, engine, body))

    check('up: both instances count one shared limit per token', async () => {
      const token = await newToken()
      assert.deepEqual([...(await reads(a, token, 3)), ...(await reads(b, token, 3))], [...ok(LIMIT), 429])
    })

    check('shut down: each instance keeps serving and limits from its own memory (fail open to per-instance limits, no 5xx)', async () => {
      await redis.shutdown()
      const token = await newToken()
      assert.deepEqual(await reads(a, token, LIMIT + 1), [...ok(LIMIT), 429], 'instance A')
      assert.deepEqual(await reads(b, token, LIMIT + 1), [...ok(LIMIT), 429], 'instance B counts on its own')
    })

    check('back: the instances share the limit again', async () => {
      await redis.restart()
      // The clients reconnect with a back-off of up to 2 s: look for sharing for up to 20 s.
      let shared = false
      for (const started = Date.now(); !shared && Date.now() - started < 20_000; await sleep(250)) {
        const token = await newToken()
        const statuses = [...(await reads(a, token, LIMIT)), await read(b, token)]
        assert.deepEqual(statuses.slice(0, LIMIT), ok(LIMIT))
        shared = statuses[LIMIT] === 429
      }
      assert.ok(shared, 'after Redis restarted, instance B sees the requests counted by instance A')
    })

    check('frozen: requests are answered within a bounded time, not held until Redis answers', async () => {
      await redis.freeze()
      try {
        assert.equal(await read(a, await newToken()), 200)
      } finally {
        await redis.thaw()
      }
    })
  })
}
