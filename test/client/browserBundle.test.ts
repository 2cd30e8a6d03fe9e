/**
 * No Node-only API in coffre/client, coffre/viem, coffre/solana: esbuild bundles each for the
 * browser platform (a `node:` import or a Node builtin fails the build), nothing from the server
 * tree is pulled in, and the bundles then run in a bare JavaScript realm that has only web
 * platform globals (fetch, Request, Headers, AbortController, crypto, btoa, timers, TextEncoder —
 * no process, Buffer or require) against a real Coffre service.
 */
import assert from 'node:assert/strict'
import { webcrypto } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { after, before, describe, test } from 'node:test'
import { build } from 'esbuild'
import { startLiveService, type LiveService } from './liveService.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRIES = { client: 'src/client/index.ts', viem: 'src/client/viem.ts', solana: 'src/client/solana.ts' } as const

let service: LiveService
const bundles: Record<string, string> = {}

before(async () => {
  service = await startLiveService()
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const result = await build({ absWorkingDir: ROOT, entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', globalName: 'Entry', write: false, metafile: true, logLevel: 'silent', target: 'es2022' })
    const fromServer = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('src/') && !input.startsWith('src/client/'))
    assert.deepEqual(fromServer, [], `${entry} pulls in server code`)
    bundles[name] = result.outputFiles[0]!.text
  }
})
after(async () => service?.close())

/** A realm with the web platform's globals only. */
function webRealm() {
  const realm = createContext({
    fetch, Request, Response, Headers, FormData, Blob, AbortController, AbortSignal, URL, URLSearchParams, TextEncoder, TextDecoder,
    crypto: webcrypto, btoa, atob, setTimeout, clearTimeout, queueMicrotask, structuredClone, console, Event, EventTarget, DOMException,
  })
  runInContext('globalThis.self = globalThis; globalThis.window = globalThis', realm)
  assert.equal(runInContext('typeof process + typeof Buffer + typeof require', realm), 'undefinedundefinedundefined')
  return { realm, load: (name: string) => runInContext(`${bundles[name]}; Entry`, realm) as Record<string, (...args: never[]) => unknown> }
}

describe('the clients bundled for the browser', () => {
  test('coffre/client creates a user and signs in a realm without Node APIs', async () => {
    const { load } = webRealm()
    const { createCoffreClient } = load('client') as unknown as typeof import('../../src/client/index.ts')
    const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
    const user = await coffre.users.create({ telegramUserId: 31337 })
    const signed = await coffre.sign.message(user.id, { chain: 'solana', message: new Uint8Array([9, 9, 9]) })
    assert.equal(signed.address, user.solanaAddress)
    // Bytes go out as base64 without Buffer: the server reads them, and refuses them as a transaction.
    await assert.rejects(coffre.sign.solanaTransaction(user.id, new Uint8Array(8)), (e: unknown) => (e as { code?: string }).code === 'COFFRE_SIGNING_FAILED')
    await assert.rejects(coffre.users.get('00000000-0000-4000-8000-000000000000'), (e: unknown) => (e as { code?: string }).code === 'COFFRE_NOT_FOUND')
  })

  test('coffre/viem and coffre/solana build and sign there too', async () => {
    const { load } = webRealm()
    const { createCoffreClient } = load('client') as unknown as typeof import('../../src/client/index.ts')
    const { toCoffreAccount } = load('viem') as unknown as typeof import('../../src/client/viem.ts')
    const { createCoffreSolanaSigner } = load('solana') as unknown as typeof import('../../src/client/solana.ts')
    const coffre = createCoffreClient({ baseUrl: service.url, token: service.token })
    const user = await coffre.users.create({ telegramUserId: 31338 })
    const account = await toCoffreAccount({ client: coffre, userId: user.id })
    assert.match(await account.signMessage({ message: 'from a browser' }), /^0x[0-9a-f]{130}$/)
    const signer = await createCoffreSolanaSigner({ client: coffre, userId: user.id })
    const [signature] = await signer.signMessages([{ content: new Uint8Array([1]), signatures: {} }])
    assert.equal(signature![signer.address]!.length, 64)
  })

  test('the bundles are self-contained (no require of a Node module left in them)', () => {
    for (const [name, text] of Object.entries(bundles)) assert.doesNotMatch(text, /\brequire\(["'](node:)?(fs|crypto|buffer|http|https|net|path|os|stream|util)["']\)/, name)
  })
})
