/**
 * Configuration, parsed once at the edge (CLI flags + environment, both with zod) into a frozen
 * object and passed down. Core code never reads process.env.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { decodeMasterKey } from './keyProviders/masterKey.ts'
import type { RootKeyConfig } from './keyProviders/rootKeyConfig.ts'
import { CoffreError } from './errors.ts'
import type { StoreConfig } from './store/openStore.ts'
import type { ChainConfig } from './chain/chainConfig.ts'
import { chainSettingsFrom, type OnChainSettings } from './onChainConfig.ts'

export type { RootKeyConfig } from './keyProviders/rootKeyConfig.ts'


export type VaultConfig = {
  readonly store: StoreConfig
  readonly rootKey: RootKeyConfig
  /** BIP-39 mnemonic length for new users. */
  readonly mnemonicWords: 12 | 24
  /** Encryptions per data key before it is rotated (AES-GCM random-nonce budget). */
  readonly nonceBudget?: number
  /** Object storage for share 2 of user backups (`--backup-s3-bucket`); absent: user backups refuse. */
  readonly backupStorage?: BackupStorageConfig
  /** Seconds between guardian approval and the move of an account recovery (default 48 h). */
  readonly recoveryWaitingSeconds?: number
  /** Polygon and Solana RPC endpoints, contracts and caps; a chain left out is unavailable. */
  readonly chain?: ChainConfig
  /** Where on-chain events are POSTed (signed with HMAC-SHA256, docs/webhooks.md). */
  readonly webhooks?: OnChainSettings['webhooks']
}

/** S3-compatible storage of user-backup shares (credentials: the AWS SDK's default chain). */
export type BackupStorageConfig = {
  readonly kind: 's3'
  readonly bucket: string
  readonly region: string
  readonly endpoint?: string
  readonly prefix?: string
  readonly retentionDays?: number
  readonly requireObjectLock?: boolean
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
    backupS3Bucket: z.string().min(1).optional(),
    backupS3Region: z.string().min(1).optional(),
    backupS3Endpoint: z.string().min(1).optional(),
    backupS3Prefix: z.string().optional(),
    backupS3RetentionDays: z.string().regex(/^[1-9][0-9]*$/, 'must be a positive integer').optional(),
    backupS3RequireLock: z.boolean().optional(),
    recoveryWaitingSeconds: z.string().regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer').optional(),
    polygonRpcUrl: z.string().optional(),
    solanaRpcUrl: z.string().optional(),
    polygonChainId: z.string().optional(),
    polygonContracts: z.string().optional(),
    polygonConfirmations: z.string().optional(),
    solanaGenesisHash: z.string().optional(),
    solanaUsdcMint: z.string().optional(),
    webhookUrl: z.union([z.string(), z.array(z.string())]).optional(),
    webhookSecretFile: z.string().optional(),
  })
  .passthrough()

export type CliStoreKeyOptions = z.infer<typeof cliOptionsSchema>
export type Environment = Readonly<Record<string, string | undefined>>

const optionalText = z.string().optional()

/** The environment variables the configuration reads (the flags win over them). */
export const environmentSchema = z
  .object({
    COFFRE_DATA_DIR: optionalText,
    DATABASE_URL: optionalText,
    COFFRE_STRICT_TRANSACTIONS: optionalText.transform((v) => v === '1'),
    COFFRE_MNEMONIC_WORDS: optionalText,
    COFFRE_NONCE_BUDGET: z.string().regex(/^[1-9][0-9]*$/, 'COFFRE_NONCE_BUDGET must be a positive integer').transform(Number).optional(),
    COFFRE_KEY_PROVIDER: optionalText,
    COFFRE_KEY_FILE: optionalText,
    COFFRE_MASTER_KEY: optionalText,
    COFFRE_PKCS11_MODULE: optionalText,
    COFFRE_PKCS11_TOKEN: optionalText,
    COFFRE_PKCS11_KEY_LABEL: optionalText,
    COFFRE_PKCS11_PIN_FILE: optionalText,
    COFFRE_PKCS11_PIN: optionalText,
    COFFRE_KMS_KEY_ID: optionalText,
    COFFRE_KMS_REGION: optionalText,
    AWS_REGION: optionalText,
    COFFRE_KMS_ENDPOINT: optionalText,
    COFFRE_BACKUP_S3_BUCKET: optionalText,
    COFFRE_BACKUP_S3_REGION: optionalText,
    COFFRE_BACKUP_S3_ENDPOINT: optionalText,
    COFFRE_BACKUP_S3_PREFIX: optionalText,
    COFFRE_BACKUP_S3_RETENTION_DAYS: z.string().regex(/^[1-9][0-9]*$/, 'COFFRE_BACKUP_S3_RETENTION_DAYS must be a positive integer').transform(Number).optional(),
    COFFRE_BACKUP_S3_REQUIRE_LOCK: optionalText.transform((v) => v === '1'),
    COFFRE_RECOVERY_WAITING_SECONDS: z.string().regex(/^(0|[1-9][0-9]*)$/, 'COFFRE_RECOVERY_WAITING_SECONDS must be a non-negative integer').transform(Number).optional(),
    COFFRE_POLYGON_RPC_URL: optionalText,
    COFFRE_SOLANA_RPC_URL: optionalText,
    COFFRE_POLYGON_CHAIN_ID: optionalText,
    COFFRE_POLYGON_CONTRACTS: optionalText,
    COFFRE_POLYGON_CONFIRMATIONS: optionalText,
    COFFRE_SOLANA_GENESIS_HASH: optionalText,
    COFFRE_SOLANA_USDC_MINT: optionalText,
    COFFRE_WEBHOOK_URL: optionalText,
    COFFRE_WEBHOOK_SECRET: optionalText,
    COFFRE_WEBHOOK_SECRET_FILE: optionalText,
  })

type ParsedEnvironment = z.infer<typeof environmentSchema>

/** The choices merged from flags and environment, checked once. */
const choicesSchema = z.object({
  mnemonicWords: z.enum(['12', '24'], { error: 'mnemonic words must be 12 or 24' }),
  keyProvider: z.enum(['local', 'pkcs11', 'aws-kms'], { error: (issue) => `unknown key provider ${String(issue.input)}` }),
})

/** Parses with zod; the first issue becomes a COFFRE_INVALID_CONFIG (prefixed, e.g. with the flag it came from). */
function parseConfigPart<T>(schema: z.ZodType<T>, value: unknown, describe: (issue: z.core.$ZodIssue) => string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new CoffreError('COFFRE_INVALID_CONFIG', issue === undefined ? 'invalid configuration' : describe(issue))
}

export const DEFAULT_DATA_DIR = '.coffre'

export function resolveDataDir(options: CliStoreKeyOptions, env: Environment, cwd: string): string {
  return resolve(cwd, options.dataDir ?? env.COFFRE_DATA_DIR ?? DEFAULT_DATA_DIR)
}

export function parseVaultConfig(rawOptions: unknown, rawEnv: Environment, cwd: string = process.cwd()): VaultConfig {
  const options = parseConfigPart(cliOptionsSchema, rawOptions, (issue) => `invalid option: ${issue.path.join('.')} ${issue.message}`)
  const env = parseConfigPart(environmentSchema, rawEnv, (issue) => issue.message)
  const choices = parseConfigPart(choicesSchema, { mnemonicWords: options.mnemonicWords ?? env.COFFRE_MNEMONIC_WORDS ?? '12', keyProvider: options.keyProvider ?? env.COFFRE_KEY_PROVIDER ?? 'local' }, (issue) => issue.message)
  const dataDir = resolveDataDir(options, { COFFRE_DATA_DIR: env.COFFRE_DATA_DIR }, cwd)
  const databaseUrl = options.databaseUrl ?? env.DATABASE_URL
  const strict = env.COFFRE_STRICT_TRANSACTIONS ? { strictTransactions: true } : {}
  const store: StoreConfig = databaseUrl !== undefined && databaseUrl !== '' ? { kind: 'postgres', url: databaseUrl, ...strict } : { kind: 'sqlite', dataDir, ...strict }
  const budget = env.COFFRE_NONCE_BUDGET
  const backupStorage = backupStorageConfig(options, env)
  const waiting = options.recoveryWaitingSeconds === undefined ? env.COFFRE_RECOVERY_WAITING_SECONDS : Number(options.recoveryWaitingSeconds)
  const { COFFRE_STRICT_TRANSACTIONS: _strict, COFFRE_NONCE_BUDGET: _budget, COFFRE_BACKUP_S3_REQUIRE_LOCK: _lock, COFFRE_BACKUP_S3_RETENTION_DAYS: _days, COFFRE_RECOVERY_WAITING_SECONDS: _wait, ...textEnv } = env
  const onChain = chainSettingsFrom(options, textEnv, cwd)
  return Object.freeze({
    store: Object.freeze(store),
    rootKey: Object.freeze(rootKeyConfig(choices.keyProvider, options, env, dataDir)),
    mnemonicWords: Number(choices.mnemonicWords) as 12 | 24,
    ...(budget === undefined ? {} : { nonceBudget: budget }),
    ...(backupStorage === undefined ? {} : { backupStorage: Object.freeze(backupStorage) }),
    ...(waiting === undefined ? {} : { recoveryWaitingSeconds: waiting }),
    ...(onChain.chain === undefined ? {} : { chain: onChain.chain }),
    ...(onChain.webhooks === undefined ? {} : { webhooks: onChain.webhooks }),
  })
}

function backupStorageConfig(options: CliStoreKeyOptions, env: ParsedEnvironment): BackupStorageConfig | undefined {
  const bucket = options.backupS3Bucket ?? env.COFFRE_BACKUP_S3_BUCKET
  if (bucket === undefined || bucket === '') return undefined
  const endpoint = options.backupS3Endpoint ?? env.COFFRE_BACKUP_S3_ENDPOINT
  const prefix = options.backupS3Prefix ?? env.COFFRE_BACKUP_S3_PREFIX
  const retention = options.backupS3RetentionDays === undefined ? env.COFFRE_BACKUP_S3_RETENTION_DAYS : Number(options.backupS3RetentionDays)
  const requireLock = options.backupS3RequireLock === true || env.COFFRE_BACKUP_S3_REQUIRE_LOCK === true
  return {
    kind: 's3',
    bucket,
    region: options.backupS3Region ?? env.COFFRE_BACKUP_S3_REGION ?? env.AWS_REGION ?? 'us-east-1',
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(prefix === undefined ? {} : { prefix }),
    ...(retention === undefined ? {} : { retentionDays: retention }),
    ...(requireLock ? { requireObjectLock: true } : {}),
  }
}

function rootKeyConfig(kind: RootKeyConfig['kind'], options: CliStoreKeyOptions, env: ParsedEnvironment, dataDir: string): RootKeyConfig {
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
