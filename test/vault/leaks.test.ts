import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { base58 } from '@scure/base'
import pino from 'pino'
import { mnemonicToEntropy } from '../../src/wallet/mnemonic.ts'
import { ENGINES } from '../support/engines.ts'
import { openTestVault } from '../support/vault.ts'
import { contextOf } from '../../src/vault/internals.ts'

/** Every encoding a leaked secret could take. */
function encodings(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes)
  return [buf.toString('hex'), buf.toString('hex').toUpperCase(), buf.toString('base64'), buf.toString('base64url'), base58.encode(bytes), JSON.stringify([...bytes]).slice(1, -1)]
}

for (const engine of ENGINES) {
  test(`no mnemonic or private key reaches the ${engine} database or the logs in any encoding`, async () => {
    const logFile = join(process.env.TMPDIR ?? '/tmp', `coffre-leak-${engine}-${process.pid}.log`)
    const stream = createWriteStream(logFile)
    const logger = pino({ level: 'trace' }, stream)
    const t = await openTestVault(engine, {}, { logger })
    try {
      const created = await t.vault.users.ensureMany(Array.from({ length: 12 }, (_, i) => ({ telegramUserId: 100 + i, username: `u${i}` })))
      for (const { user } of created) {
        await t.vault.sign.message({ id: user.id }, { chain: 'polygon', message: 'hello' })
        await t.vault.sign.message({ id: user.id }, { chain: 'solana', message: 'hello' })
      }
      const needles: string[] = []
      const rawSecrets: Buffer[] = []
      for (const { user } of created) {
        const exported = await t.vault.users.export({ id: user.id })
        const mnemonic = exported.mnemonic!
        needles.push(mnemonic, mnemonic.split(' ').slice(0, 4).join(' '))
        needles.push(...encodings(mnemonicToEntropy(mnemonic)))
        const evmKey = Buffer.from(exported.polygonPrivateKey.slice(2), 'hex')
        needles.push(...encodings(evmKey))
        rawSecrets.push(evmKey, Buffer.from(mnemonicToEntropy(mnemonic)))
        const solana = base58.decode(exported.solanaSecretKey)
        needles.push(exported.solanaSecretKey, ...encodings(solana.subarray(0, 32)), ...encodings(solana))
        rawSecrets.push(Buffer.from(solana.subarray(0, 32)))
      }
      await t.vault.doctor()
      await contextOf(t.vault).audit.drain()
      await new Promise<void>((resolve) => stream.end(resolve))

      const haystacks: [string, Buffer][] = [['log', readFileSync(logFile)]]
      if (engine === 'sqlite') {
        await t.vault.close()
        for (const file of readdirSync(t.store.dir)) haystacks.push([file, readFileSync(join(t.store.dir, file))])
      } else {
        const bin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1']).toString().trim()
        haystacks.push(['pg_dump', execFileSync(join(bin, 'pg_dump'), ['--data-only', (t.store.config as { url: string }).url], { maxBuffer: 1 << 28 })])
      }
      assert.ok(haystacks.some(([, content]) => content.includes(created[0]!.user.polygonAddress)), 'the dump does contain the public addresses (sanity check)')
      for (const [name, content] of haystacks) {
        const text = content.toString('latin1')
        for (const needle of needles) assert.equal(text.includes(needle), false, `a secret was found in ${name}`)
        for (const raw of rawSecrets) assert.equal(content.indexOf(raw), -1, `raw secret bytes were found in ${name}`)
      }
    } finally {
      await t.cleanup()
    }
  })
}
