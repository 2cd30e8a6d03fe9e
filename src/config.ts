/**
 * Configuration, parsed once at the edge (CLI flags + environment) into a frozen object and passed
 * down. Core code never reads process.env.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { decodeMasterKey } from './keyProviders/masterKey.ts'
import type { RootKeyConfig } from './keyProviders/rootKeyConfig.ts'
import { CoffreError } from './errors.ts'
import type { StoreConfig } from './store/openStore.ts'

export type { RootKeyConfig } from './keyProviders/rootKeyConfig.ts'


export type VaultConfig = {
  readonly store: StoreConfig
  readonly rootKey: RootKeyConfig
  /** BIP-39 mnemonic length for new users. */
  readonly mnemonicWords: 12 | 24
  /** Encryptions per data key before it is rotated (AES-GCM random-nonce budget). */
  readonly nonceBudget?: number
}

/** The raw, string-typed options every CLI command accepts (commander's camelCase names). */
export const cliOptionsSchema = z
  .object({
    dataDir: z.string().min(1).optional(),
    databaseUrl: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    keyProvider: z.enum(['local', 'pkcs11', 'aws-kms']).optional(),
    pkcs11Module: z.string().optional(),
    pkcs11Token: z.string().optional(),
    pkcs11KeyLabel: z.string().optional(),
    pkcs11PinFile: z.string().optional(),
    kmsKeyId: z.string().optional(),
    kmsRegion: z.string().optional(),
    kmsEndpoint: z.string().optional(),
    mnemonicWords: z.enum(['12', '24']).optional(),
  })
  .passthrough()

export type CliStoreKeyOptions = z.infer<typeof cliOptionsSchema>
export type Environment = Readonly<Record<string, string | undefined>>

export const DEFAULT_DATA_DIR = '.coffre'

export function resolveDataDir(options: CliStoreKeyOptions, env: Environment, cwd: string): string {
  return resolve(cwd, options.dataDir ?? env.COFFRE_DATA_DIR ?? DEFAULT_DATA_DIR)
}

export function parseVaultConfig(rawOptions: unknown, env: Environment, cwd: string = process.cwd()): VaultConfig {
  const parsed = cliOptionsSchema.safeParse(rawOptions)
  if (!parsed.success) throw new CoffreError('COFFRE_INVALID_CONFIG', `invalid option: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`)
  const options = parsed.data
  const dataDir = resolveDataDir(options, env, cwd)
  const databaseUrl = options.databaseUrl ?? env.DATABASE_URL
  const strict = env.COFFRE_STRICT_TRANSACTIONS === '1' ? { strictTransactions: true } : {}
  const store: StoreConfig = databaseUrl !== undefined && databaseUrl !== '' ? { kind: 'postgres', url: databaseUrl, ...strict } : { kind: 'sqlite', dataDir, ...strict }
  const words = options.mnemonicWords ?? env.COFFRE_MNEMONIC_WORDS ?? '12'
  if (words !== '12' && words !== '24') throw new CoffreError('COFFRE_INVALID_CONFIG', 'mnemonic words must be 12 or 24')
  const budget = env.COFFRE_NONCE_BUDGET
  return Object.freeze({
    store: Object.freeze(store),
    rootKey: Object.freeze(rootKeyConfig(options, env, dataDir)),
    mnemonicWords: Number(words) as 12 | 24,
    ...(budget === undefined ? {} : { nonceBudget: Number(budget) }),
  })
}

function rootKeyConfig(options: CliStoreKeyOptions, env: Environment, dataDir: string): RootKeyConfig {
  const kind = options.keyProvider ?? env.COFFRE_KEY_PROVIDER ?? 'local'
  switch (kind) {
    case 'local': {
      const keyFile = options.keyFile ?? env.COFFRE_KEY_FILE
      if (keyFile === undefined && env.COFFRE_MASTER_KEY !== undefined && env.COFFRE_MASTER_KEY !== '') {
        return { kind: 'local', masterKey: decodeMasterKey(env.COFFRE_MASTER_KEY) }
      }
      return { kind: 'local', keyFile: resolve(keyFile ?? join(dataDir, 'root.key')) }
    }
    case 'pkcs11': {
      const module = required(options.pkcs11Module ?? env.COFFRE_PKCS11_MODULE, '--pkcs11-module')
      const tokenLabel = required(options.pkcs11Token ?? env.COFFRE_PKCS11_TOKEN, '--pkcs11-token')
      const keyLabel = options.pkcs11KeyLabel ?? env.COFFRE_PKCS11_KEY_LABEL ?? 'coffre-root'
      const pinFile = options.pkcs11PinFile ?? env.COFFRE_PKCS11_PIN_FILE
      const pin = pinFile !== undefined ? readSecretFile(pinFile) : env.COFFRE_PKCS11_PIN !== undefined ? new TextEncoder().encode(env.COFFRE_PKCS11_PIN) : undefined
      if (pin === undefined) throw new CoffreError('COFFRE_INVALID_CONFIG', 'pkcs11 needs a PIN: --pkcs11-pin-file F or COFFRE_PKCS11_PIN')
      return { kind: 'pkcs11', module, tokenLabel, keyLabel, pin }
    }
    case 'aws-kms': {
      const keyId = required(options.kmsKeyId ?? env.COFFRE_KMS_KEY_ID, '--kms-key-id')
      const region = options.kmsRegion ?? env.COFFRE_KMS_REGION ?? env.AWS_REGION ?? 'us-east-1'
      const endpoint = options.kmsEndpoint ?? env.COFFRE_KMS_ENDPOINT
      return endpoint === undefined ? { kind: 'aws-kms', keyId, region } : { kind: 'aws-kms', keyId, region, endpoint }
    }
    default:
      throw new CoffreError('COFFRE_INVALID_CONFIG', `unknown key provider ${kind}`)
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CoffreError('COFFRE_INVALID_CONFIG', `missing ${flag}`)
  return value
}

function readSecretFile(path: string): Uint8Array {
  try {
    const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '')
    return new TextEncoder().encode(text)
  } catch (cause) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `cannot read ${path}`, { cause })
  }
}
