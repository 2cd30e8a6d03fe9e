/** A real receiving HTTP server for webhook tests: its reply to the n-th request (1-based) is `reply(n)`, a status or 'hang'. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

export type ReceivedWebhook = { headers: IncomingHttpHeaders; body: string }
export type WebhookReceiver = { url: string; received: ReceivedWebhook[]; stop(): Promise<void> }

export async function startWebhookReceiver(reply: (n: number) => number | 'hang'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      const answer = reply(received.length)
      if (answer !== 'hang') res.writeHead(answer).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    received,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
