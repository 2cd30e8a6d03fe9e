/**
 * A loopback HTTP server that answers each request with the next scripted step (a status with
 * headers and body, a dropped connection, or no answer at all), recording what it received: a
 * real socket for the client's transport tests, with the failures a network and a busy service produce.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Step =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | { readonly drop: true }
  | { readonly hang: true }

export type Received = { readonly method: string; readonly url: string; readonly headers: IncomingHttpHeaders; readonly body: string }

export async function startScriptedServer(script: Step[], fallback: Step = { status: 200, headers: { 'coffre-api-version': '1.0.0' }, body: {} }) {
  const received: Received[] = []
  const hanging: ServerResponse[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const step = script.shift() ?? fallback
      if ('drop' in step) return void req.socket.destroy()
      if ('hang' in step) return void hanging.push(res)
      const text = typeof step.body === 'string' ? step.body : JSON.stringify(step.body ?? {})
      res.writeHead(step.status, { 'content-type': typeof step.body === 'string' ? 'text/html' : 'application/json', ...step.headers }).end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async stop() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
