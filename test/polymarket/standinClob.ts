/**
 * A stand-in for Polymarket's CLOB on loopback, verifying what the real server verifies:
 * L1 (recovers the ClobAuth EIP-712 signer, checks POLY_ADDRESS and timestamp skew), L2 (HMAC
 * over timestamp+METHOD+path+body with the secret it issued, passphrase, owner), and orders
 * (exact body shape, owner = API key, signer = key owner, maker/signatureType rules, the
 * signature recovered against the exchange chosen by neg-risk). It issues API keys derived
 * deterministically from address+nonce, records orders (a duplicate gets the CLOB's
 * "Duplicated" error), and can inject 401s, inactive new keys, 429 + Retry-After, 5xx, delays
 * and dropped connections. Written independently of src/polymarket (viem for recovery).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { encodeAbiParameters, getCreate2Address, hashTypedData, keccak256, recoverAddress, recoverTypedDataAddress } from 'viem'

type Hex = `0x${string}`

export type Fault =
  | { kind: 'status'; status: number; times?: number; path?: string; retryAfter?: string; error?: string }
  | { kind: 'delay'; ms: number; times?: number; path?: string }
  | { kind: 'drop'; times?: number; path?: string; when?: 'before' | 'after' }

export type StandinOptions = {
  chainId?: number
  maxSkewSec?: number
  negRiskTokenIds?: string[]
  /** New keys answer 401 for this long after creation (Polymarket's activation lag). */
  newKeyInactiveMs?: number
  seed?: string
}

type IssuedKey = { key: string; address: string; nonce: string; secret: string; passphrase: string; activeAt: number }

export type StandinState = {
  keys: Map<string, IssuedKey>
  readonlyKeys: Map<string, string[]>
  orders: Map<string, { owner: string; body: string; at: number }>
  requests: { method: string; path: string; status: number }[]
  newKeyInactiveMs: number
}

const EXCHANGE: Hex = '0xE111180000d2663C0091e4f400237545B87B996B'
const NEG_RISK_EXCHANGE: Hex = '0xe2222d279d744050d28e00520010520000310F59'
const PROXY_FACTORY: Hex = '0xaB45c5A4B0c941a2F231C04C3f49182e1A254052'
const SAFE_FACTORY: Hex = '0xaacFeEa03eb1561C4e67d661e40682Bd20E3541b'
const PROXY_INIT: Hex = '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b'
const SAFE_INIT: Hex = '0x2bce2127ff07fb632d16c8347c4ebf501f4841168bed00d9e6ef715ddb6fcecf'
export const DUPLICATE_ORDER_ERROR = "order is invalid. Duplicated. Same order has already been placed, can't be placed again"

class Reject extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const orderKeys = ['salt', 'maker', 'signer', 'tokenId', 'makerAmount', 'takerAmount', 'side', 'signatureType', 'timestamp', 'expiration', 'metadata', 'builder', 'signature']
const bodyKeys = ['deferExec', 'postOnly', 'order', 'owner', 'orderType']
const uintText = /^[0-9]{1,78}$/
const addressText = /^0x[0-9a-fA-F]{40}$/
const bytes32Text = /^0x[0-9a-fA-F]{64}$/

function sameKeys(value: Record<string, unknown>, keys: string[]): boolean {
  const got = Object.keys(value)
  return got.length === keys.length && keys.every((k) => Object.hasOwn(value, k))
}

export async function startStandinClob(options: StandinOptions = {}) {
  const chainId = options.chainId ?? 137
  const maxSkewSec = options.maxSkewSec ?? 300
  const negRisk = new Set(options.negRiskTokenIds ?? [])
  const seed = options.seed ?? 'standin'
  const faults: (Fault & { left: number })[] = []
  const generations = new Map<string, number>()
  const state: StandinState = { keys: new Map(), readonlyKeys: new Map(), orders: new Map(), requests: [], newKeyInactiveMs: options.newKeyInactiveMs ?? 0 }

  const derive = (label: string, bytes: number) => createHmac('sha256', seed).update(label).digest().subarray(0, bytes)
  function issue(address: string, nonce: string): IssuedKey {
    const generation = generations.get(`${address}:${nonce}`) ?? 0
    const label = `${address}:${nonce}:${generation}`
    const id = derive(`key:${label}`, 16).toString('hex')
    return {
      key: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
      address,
      nonce,
      secret: derive(`secret:${label}`, 32).toString('base64url') + '=',
      passphrase: derive(`passphrase:${label}`, 32).toString('hex'),
      activeAt: Date.now() + state.newKeyInactiveMs,
    }
  }
  const keyFor = (address: string, nonce: string) => [...state.keys.values()].find((k) => k.address === address && k.nonce === nonce)

  function header(req: IncomingMessage, name: string): string {
    const value = req.headers[name.toLowerCase()]
    if (typeof value !== 'string' || value === '') throw new Reject(401, 'Invalid L1 Request headers')
    return value
  }

  function checkTimestamp(ts: string): void {
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > maxSkewSec) throw new Reject(401, 'Invalid L1 Request headers')
  }

  async function verifyL1(req: IncomingMessage): Promise<{ address: string; nonce: string }> {
    const address = header(req, 'POLY_ADDRESS')
    const signature = header(req, 'POLY_SIGNATURE') as Hex
    const timestamp = header(req, 'POLY_TIMESTAMP')
    const nonce = header(req, 'POLY_NONCE')
    if (!addressText.test(address) || !uintText.test(nonce)) throw new Reject(401, 'Invalid L1 Request headers')
    checkTimestamp(timestamp)
    let recovered: string
    try {
      recovered = await recoverTypedDataAddress({
        domain: { name: 'ClobAuthDomain', version: '1', chainId },
        types: { ClobAuth: [{ name: 'address', type: 'address' }, { name: 'timestamp', type: 'string' }, { name: 'nonce', type: 'uint256' }, { name: 'message', type: 'string' }] },
        primaryType: 'ClobAuth',
        message: { address: address as Hex, timestamp, nonce: BigInt(nonce), message: 'This message attests that I control the given wallet' },
        signature,
      })
    } catch {
      throw new Reject(401, 'Invalid L1 Request headers')
    }
    if (recovered.toLowerCase() !== address.toLowerCase()) throw new Reject(401, 'Invalid L1 Request headers')
    return { address: address.toLowerCase(), nonce }
  }

  function verifyL2(req: IncomingMessage, path: string, body: string): IssuedKey {
    const fail = () => new Reject(401, 'Unauthorized/Invalid api key')
    const apiKey = req.headers.poly_api_key
    const issued = typeof apiKey === 'string' ? state.keys.get(apiKey) : undefined
    if (issued === undefined) throw fail()
    const address = req.headers.poly_address
    const passphrase = req.headers.poly_passphrase
    const timestamp = req.headers.poly_timestamp
    const signature = req.headers.poly_signature
    if (typeof address !== 'string' || address.toLowerCase() !== issued.address || passphrase !== issued.passphrase) throw fail()
    if (typeof timestamp !== 'string' || typeof signature !== 'string') throw fail()
    checkTimestamp(timestamp)
    const expected = createHmac('sha256', Buffer.from(issued.secret, 'base64url'))
      .update(`${timestamp}${req.method}${path}${body}`)
      .digest('base64url')
    const given = Buffer.from(signature.replace(/=+$/, ''))
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) throw fail()
    if (Date.now() < issued.activeAt) throw fail()
    return issued
  }

  async function verifyOrder(issued: IssuedKey, body: string): Promise<{ hash: string }> {
    const invalid = (why: string) => new Reject(400, `Invalid order payload: ${why}`)
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      throw invalid('not JSON')
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !sameKeys(parsed as Record<string, unknown>, bodyKeys)) throw invalid('fields')
    const p = parsed as Record<string, unknown>
    if (typeof p.deferExec !== 'boolean' || typeof p.postOnly !== 'boolean') throw invalid('flags')
    if (!['GTC', 'FOK', 'GTD', 'FAK'].includes(p.orderType as string)) throw invalid('orderType')
    if (p.owner !== issued.key) throw new Reject(400, 'the order owner has to be the owner of the API KEY')
    const o = p.order as Record<string, unknown>
    if (o === null || typeof o !== 'object' || !sameKeys(o, orderKeys)) throw invalid('order fields')
    if (!Number.isSafeInteger(o.salt) || (o.salt as number) < 0) throw invalid('salt')
    for (const k of ['tokenId', 'makerAmount', 'takerAmount', 'timestamp', 'expiration']) if (typeof o[k] !== 'string' || !uintText.test(o[k] as string)) throw invalid(k)
    for (const k of ['maker', 'signer']) if (typeof o[k] !== 'string' || !addressText.test(o[k] as string)) throw invalid(k)
    for (const k of ['metadata', 'builder']) if (typeof o[k] !== 'string' || !bytes32Text.test(o[k] as string)) throw invalid(k)
    if (o.side !== 'BUY' && o.side !== 'SELL') throw invalid('side')
    if (![0, 1, 2].includes(o.signatureType as number)) throw invalid('signatureType')
    if (typeof o.signature !== 'string' || !/^0x[0-9a-fA-F]{130}$/.test(o.signature)) throw invalid('signature')
    if (p.orderType === 'GTD' ? Number(o.expiration) <= Date.now() / 1000 : false) throw new Reject(400, 'INVALID_ORDER_EXPIRATION')
    const signer = (o.signer as string).toLowerCase()
    if (signer !== issued.address) throw new Reject(400, 'the order signer address has to be the address of the API KEY')
    const maker = (o.maker as string).toLowerCase()
    const expectedMaker =
      o.signatureType === 0 ? signer
        : o.signatureType === 1 ? getCreate2Address({ from: PROXY_FACTORY, salt: keccak256(o.signer as Hex), bytecodeHash: PROXY_INIT }).toLowerCase()
          : getCreate2Address({ from: SAFE_FACTORY, salt: keccak256(encodeAbiParameters([{ type: 'address' }], [o.signer as Hex])), bytecodeHash: SAFE_INIT }).toLowerCase()
    if (maker !== expectedMaker) throw new Reject(400, 'invalid signature: maker does not match signer for this signature type')
    const hash = hashTypedData({
      domain: { name: 'Polymarket CTF Exchange', version: '2', chainId, verifyingContract: negRisk.has(o.tokenId as string) ? NEG_RISK_EXCHANGE : EXCHANGE },
      types: {
        Order: [
          { name: 'salt', type: 'uint256' }, { name: 'maker', type: 'address' }, { name: 'signer', type: 'address' }, { name: 'tokenId', type: 'uint256' },
          { name: 'makerAmount', type: 'uint256' }, { name: 'takerAmount', type: 'uint256' }, { name: 'side', type: 'uint8' },
          { name: 'signatureType', type: 'uint8' }, { name: 'timestamp', type: 'uint256' }, { name: 'metadata', type: 'bytes32' }, { name: 'builder', type: 'bytes32' },
        ],
      },
      primaryType: 'Order',
      message: {
        salt: BigInt(o.salt as number), maker: o.maker as Hex, signer: o.signer as Hex, tokenId: BigInt(o.tokenId as string),
        makerAmount: BigInt(o.makerAmount as string), takerAmount: BigInt(o.takerAmount as string), side: o.side === 'BUY' ? 0 : 1,
        signatureType: o.signatureType as number, timestamp: BigInt(o.timestamp as string), metadata: o.metadata as Hex, builder: o.builder as Hex,
      },
    })
    const recovered = await recoverAddress({ hash, signature: o.signature as Hex }).catch(() => '')
    if (recovered.toLowerCase() !== signer) throw new Reject(400, 'invalid signature')
    return { hash }
  }

  async function route(req: IncomingMessage, path: string, body: string): Promise<unknown> {
    const method = req.method ?? 'GET'
    if (path === '/auth/api-key' && method === 'POST') {
      const { address, nonce } = await verifyL1(req)
      if (keyFor(address, nonce) !== undefined) throw new Reject(400, 'Could not create api key')
      const issued = issue(address, nonce)
      state.keys.set(issued.key, issued)
      return { apiKey: issued.key, secret: issued.secret, passphrase: issued.passphrase }
    }
    if (path === '/auth/derive-api-key' && method === 'GET') {
      const { address, nonce } = await verifyL1(req)
      const issued = keyFor(address, nonce)
      if (issued === undefined) throw new Reject(400, 'Could not derive api key!')
      return { apiKey: issued.key, secret: issued.secret, passphrase: issued.passphrase }
    }
    if (path === '/version' && method === 'GET') return { version: 2 }
    if (path === '/time' && method === 'GET') return Math.floor(Date.now() / 1000)
    if (path === '/tick-size' && method === 'GET') return { minimum_tick_size: 0.01 }
    if (path === '/neg-risk' && method === 'GET') return { neg_risk: negRisk.has(new URL(req.url ?? '/', 'http://standin').searchParams.get('token_id') ?? '') }
    const issued = verifyL2(req, path, body)
    if (path === '/auth/api-keys' && method === 'GET') {
      return { apiKeys: [...state.keys.values()].filter((k) => k.address === issued.address).map((k) => k.key) }
    }
    if (path === '/auth/api-key' && method === 'DELETE') {
      state.keys.delete(issued.key)
      const slot = `${issued.address}:${issued.nonce}`
      generations.set(slot, (generations.get(slot) ?? 0) + 1)
      return 'OK'
    }
    if (path === '/auth/readonly-api-key' && method === 'POST') {
      const list = state.readonlyKeys.get(issued.address) ?? []
      const id = derive(`readonly:${issued.address}:${list.length}:${Date.now()}`, 16).toString('hex')
      const key = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`
      state.readonlyKeys.set(issued.address, [...list, key])
      return { apiKey: key }
    }
    if (path === '/auth/readonly-api-keys' && method === 'GET') return state.readonlyKeys.get(issued.address) ?? []
    if (path === '/auth/readonly-api-key' && method === 'DELETE') {
      const key = (JSON.parse(body || '{}') as { key?: unknown }).key
      const list = state.readonlyKeys.get(issued.address) ?? []
      if (typeof key !== 'string' || !list.includes(key)) throw new Reject(400, 'Invalid readonly api key')
      state.readonlyKeys.set(issued.address, list.filter((k) => k !== key))
      return true
    }
    if (path === '/order' && method === 'POST') {
      const { hash } = await verifyOrder(issued, body)
      if (state.orders.has(hash)) throw new Reject(400, DUPLICATE_ORDER_ERROR)
      state.orders.set(hash, { owner: issued.key, body, at: Date.now() })
      return { success: true, errorMsg: '', orderID: hash, transactionsHashes: [], status: 'live', takingAmount: '', makingAmount: '' }
    }
    if (path.startsWith('/data/order/') && method === 'GET') {
      const hash = path.slice('/data/order/'.length)
      const order = state.orders.get(hash)
      if (order === undefined || order.owner !== issued.key) return null
      return { id: hash, status: 'LIVE', owner: order.owner }
    }
    throw new Reject(404, 'not found')
  }

  function takeFault(path: string): Fault | undefined {
    const index = faults.findIndex((f) => f.path === undefined || f.path === path)
    if (index < 0) return undefined
    const fault = faults[index] as Fault & { left: number }
    fault.left -= 1
    if (fault.left <= 0) faults.splice(index, 1)
    return fault
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url ?? '/', 'http://standin').pathname
    const method = req.method ?? 'GET'
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      state.requests.push({ method, path, status })
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      res.end(JSON.stringify(payload))
    }
    const fault = takeFault(path)
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms))
    if (fault?.kind === 'drop' && fault.when !== 'after') {
      state.requests.push({ method, path, status: 0 })
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      const text = fault.error ?? (fault.status === 429 ? 'Too Many Requests' : fault.status === 401 ? 'Unauthorized/Invalid api key' : 'Internal Server Error')
      return reply(fault.status, { error: text }, fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter })
    }
    try {
      const result = await route(req, path, body)
      if (fault?.kind === 'drop') {
        state.requests.push({ method, path, status: 0 })
        req.socket.destroy()
        return
      }
      reply(200, result)
    } catch (error) {
      if (error instanceof Reject) reply(error.status, { error: error.message })
      else reply(500, { error: 'internal' })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    inject(fault: Fault): void {
      faults.push({ ...fault, left: fault.times ?? 1 })
    },
    /** New keys answer 401 for `ms` after creation, as Polymarket's keys do for a while. */
    setNewKeyInactiveMs(ms: number): void {
      state.newKeyInactiveMs = ms
    },
    async stop(): Promise<void> {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type StandinClob = Awaited<ReturnType<typeof startStandinClob>>
