/**
 * The `local` root-key provider: a 32-byte key from a file (mode 0600) or from COFFRE_MASTER_KEY
 * (base64, the seed's ENCRYPTION_KEY form). Data keys are wrapped with AES-256-GCM under it, with
 * the data-key id as associated data.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { readFileSync, statSync, type Stats } from 'node:fs'
import { CoffreError } from '../errors.ts'
import { openAesGcm, sealAesGcm } from '../crypto/aead.ts'
import { writeKeyFileDurably } from './keyFile.ts'
import { decodeBase64Key } from './masterKey.ts'
import type { DataKeyContext, KeyProvider } from './keyProvider.ts'

const WRAP_VERSION = 1
const ROOT_KEY_BYTES = 32

export type LocalKeySource = { readonly keyFile: string } | { readonly key: Uint8Array }

export function openLocalKeyProvider(source: LocalKeySource): KeyProvider {
  const rootKey = 'key' in source ? copyRootKey(source.key) : readRootKeyFile(source.keyFile)
  const keyRef = `local:${createHmac('sha256', rootKey).update('coffre-root-key-ref-v1').digest('hex').slice(0, 16)}`
  const wrapContext = (context: DataKeyContext) => new TextEncoder().encode(JSON.stringify(['coffre-dek-v1', context.dataKeyId]))
  let closed = false
  const live = () => {
    if (closed) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'local key provider is closed')
    return rootKey
  }

  const wrapDataKey = async (plaintext: Uint8Array, context: DataKeyContext) => {
    const sealed = sealAesGcm(live(), plaintext, wrapContext(context))
    const out = new Uint8Array(1 + sealed.length)
    out[0] = WRAP_VERSION
    out.set(sealed, 1)
    return out
  }

  return {
    info: { kind: 'local', keyRef, details: 'keyFile' in source ? { keyFile: source.keyFile } : { source: 'environment' } },
    async generateDataKey(context) {
      const plaintext = new Uint8Array(randomBytes(32))
      return { plaintext, wrapped: await wrapDataKey(plaintext, context) }
    },
    wrapDataKey,
    async unwrapDataKey(wrapped, context) {
      if (!(wrapped instanceof Uint8Array) || wrapped[0] !== WRAP_VERSION) {
        throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'wrapped data key has an unknown format')
      }
      try {
        return openAesGcm(live(), wrapped.subarray(1), wrapContext(context))
      } catch (cause) {
        if (cause instanceof CoffreError && cause.code === 'COFFRE_DECRYPT_FAILED') {
          throw new CoffreError('COFFRE_ROOT_KEY_INVALID', `the root key does not open data key ${context.dataKeyId}`)
        }
        throw cause
      }
    },
    async close() {
      closed = true
      rootKey.fill(0)
    },
  }
}

/** Creates a new random root key file with mode 0600 (and its directory, 0700), whole and fsynced; refuses to overwrite an existing file. */
export function createRootKeyFile(path: string): void {
  const key = randomBytes(ROOT_KEY_BYTES)
  try {
    writeKeyFileDurably(path, key)
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST'
    throw new CoffreError(exists ? 'COFFRE_CONFLICT' : 'COFFRE_KEY_PROVIDER_FAILED', exists ? `root key file ${path} already exists` : `cannot create root key file ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause })
  } finally {
    key.fill(0)
  }
}


function readRootKeyFile(path: string): Uint8Array {
  let stats: Stats
  try {
    stats = statSync(path)
  } catch (cause) {
    throw new CoffreError('COFFRE_ROOT_KEY_MISSING', `root key file ${path} not found (run \`coffre init\`, or set COFFRE_MASTER_KEY)`, { cause })
  }
  if (!stats.isFile()) throw new CoffreError('COFFRE_INVALID_CONFIG', `root key file ${path} is ${stats.isDirectory() ? 'a directory' : 'not a regular file'}; a root key file is a regular file holding the 32-byte key`)
  if ((stats.mode & 0o077) !== 0) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `root key file ${path} is readable by group or others (mode ${(stats.mode & 0o777).toString(8)}); run chmod 600`)
  }
  let raw: Uint8Array
  try {
    raw = new Uint8Array(readFileSync(path))
  } catch (cause) {
    throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `cannot read root key file ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause })
  }
  if (raw.length === ROOT_KEY_BYTES) return raw
  const key = decodeBase64Key(Buffer.from(raw).toString('latin1'))
  const length = raw.length
  raw.fill(0)
  if (key === null) throw new CoffreError('COFFRE_ROOT_KEY_INVALID', `root key file ${path} holds ${length} bytes; it must hold exactly 32 raw bytes, or the base64 of 32 bytes`)
  return key
}

function copyRootKey(key: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== ROOT_KEY_BYTES) {
    throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'the root key must be exactly 32 bytes')
  }
  return Uint8Array.from(key)
}

/** A copy of the local root key for `backup split` (the caller wipes it): the same checks as opening it (mode 0600, 32 bytes). */
export function readLocalRootKey(source: LocalKeySource): Uint8Array {
  return 'key' in source ? copyRootKey(source.key) : readRootKeyFile(source.keyFile)
}
