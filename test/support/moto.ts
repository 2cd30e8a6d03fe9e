/**
 * A throw-away moto server (Python's local AWS: KMS, S3, …) on a free loopback port. It takes
 * about 2 s to answer; start one per test file and stop it in after(). kms.ts and s3.ts build on it.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { freePort } from './freePort.ts'

const run = promisify(execFile)

export type MotoServer = {
  readonly endpoint: string
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  stop(): Promise<void>
}

async function waitUntilReady(url: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const exit = exited()
    if (exit !== undefined) throw new Error(`moto server exited before it was ready (${exit})`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`moto server did not answer on ${url} within ${timeoutMs} ms`)
}

export async function startMoto(): Promise<MotoServer> {
  // The import check (~1 s) runs while the server starts, so it costs nothing when moto is there.
  const motoInstalled = run('python3', ['-c', 'import moto.server']).then(
    () => true,
    () => false,
  )
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  let exit: string | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `code ${code}, signal ${signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`
      resolve()
    }),
  )
  const stop = async () => {
    if (exit === undefined) {
      child.kill('SIGTERM')
      await exited
    }
  }
  try {
    await Promise.all([
      waitUntilReady(`${endpoint}/moto-api/`, () => exit, 20_000),
      motoInstalled.then((installed) => {
        if (!installed) throw new Error("Python's moto is not installed (python3 -c 'import moto' failed): run scripts/setup-system.sh")
      }),
    ])
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, region: 'eu-west-3', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, stop }
}
