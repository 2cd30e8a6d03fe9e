/** Starts `coffre serve` as a real child process through the CLI and waits for its listening line. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/coffre.js', import.meta.url))

export type ServeProcess = { url: string; child: ChildProcess; output(): string; stop(signal?: NodeJS.Signals): Promise<number | null> }

export function startServe(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<ServeProcess> {
  const fullEnv = { ...process.env, ...env }
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve did not start: ${out}`))
    }, 120_000)
    const onData = (chunk: Buffer) => {
      out += chunk
      const match = /"listening":"(http:[^"]+)"/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          child,
          output: () => out,
          async stop(signal = 'SIGTERM') {
            child.kill(signal)
            return exited
          },
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited ${code}: ${out}`))
    })
  })
}
