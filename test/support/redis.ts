/**
 * Starts a throwaway redis-server on a free loopback port in a temp dir (no persistence) for
 * tests that need a real Redis; `stop()` shuts it down and removes the dir. Fault tests can also
 * shut it down and start it again on the same port (`shutdown`, `restart`), or freeze it (`freeze`:
 * SIGSTOP, connections stay open and nothing answers) and `thaw` it.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { freePort } from './freePort.ts'

const run = promisify(execFile)

export type RedisServer = {
  readonly url: string
  stop(): Promise<void>
  /** Shuts the server down (connections close); `restart` brings it back, empty, on the same port. */
  shutdown(): Promise<void>
  restart(): Promise<void>
  /** SIGSTOP: the server keeps its connections open and answers nothing until `thaw`. */
  freeze(): Promise<void>
  thaw(): Promise<void>
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'coffre-redis-'))
  const port = await freePort()
  const pidFile = join(dir, 'redis.pid')
  const launch = async () => {
    await run('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir])
    for (let i = 0; ; i++) {
      try {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'])
        if (stdout.trim() === 'PONG') break
      } catch {
        // not up yet
      }
      if (i > 100) throw new Error('redis-server did not start')
      await sleep(20)
    }
  }
  const signal = async (name: NodeJS.Signals) => void process.kill(Number((await readFile(pidFile, 'utf8')).trim()), name)
  const shutdown = async () => void (await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined))
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    shutdown,
    restart: launch,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    async stop() {
      await signal('SIGCONT').catch(() => undefined)
      await shutdown()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
