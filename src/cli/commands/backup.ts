/**
 * `coffre backup split|restore`: Shamir shares of the local root key, and the restore drill that
 * rebuilds it, proves it opens this vault and writes it as a new 0600 key file.
 *
 * With a pkcs11 or aws-kms root key there is no key material Coffre can split (the HSM key is
 * non-extractable, the KMS key never leaves KMS): `split` makes a recovery key instead — a new local
 * key that wraps every live data key a second time — and splits that. `restore` of such shares
 * writes the recovery key file, which opens the vault (`--key-file`) until `keys rotate-root` makes
 * a new primary root key. Data keys created after a split need a new split (doctor: recovery-key).
 */
import { readFileSync, statSync } from 'node:fs'
import { writeKeyFileDurably } from '../../crypto/providers/keyFile.ts'
import type { Command } from 'commander'
import type { Kysely } from 'kysely'
import { parseVaultConfig, type RootKeyConfig } from '../../config.ts'
import { decodeMasterKey } from '../../crypto/providers/local.ts'
import { CoffreError, isCoffreError } from '../../errors.ts'
import { combineRootKeyShares } from '../../ops/backup/combineRootKeyShares.ts'
import { createRecoveryKey } from '../../ops/backup/createRecoveryKey.ts'
import { parseShares } from '../../ops/backup/parseShares.ts'
import { splitRootKey } from '../../ops/backup/splitRootKey.ts'
import { openStore } from '../../store/openStore.ts'
import { readRecoveryKeyRef } from '../../store/recoveryKeyRef.ts'
import type { Database } from '../../store/schema.ts'
import { openVault } from '../../vault/openVault.ts'
import { CLI_ACTOR, outputFor, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print, readInput } from '../io.ts'

export function registerBackup(program: Command, ctx: CliContext): void {
  const backup = program.command('backup').description('Shamir backups of the root key')

  backup
    .command('split')
    .description('print N shares of the local root key (or, with pkcs11/aws-kms, of a new recovery key), any T of which rebuild it')
    .requiredOption('--shares <n>', 'number of shares (2-255)')
    .requiredOption('--threshold <t>', 'shares needed to rebuild (2-N)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const shares = parseIntegerOption(options.shares, '--shares', 2, 255)
        const threshold = parseIntegerOption(options.threshold, '--threshold', 2, shares)
        const { kind, keyRef: rootKeyRef } = vault.context.keyring.provider.info
        const { db, dialect } = vault.context.store
        const recovery = kind === 'local' ? undefined : await createRecoveryKey({ db, dialect, keyring: vault.context.keyring, actor: CLI_ACTOR })
        const key = recovery?.key ?? localRootKey(vault.context.config.rootKey)
        try {
          const vaultId = await readVaultId(db)
          const texts = await splitRootKey(key, { shares, threshold, vaultId })
          const keyRef = recovery?.keyRef ?? rootKeyRef
          const subject = recovery === undefined ? `root_key:${keyRef}` : `recovery_key:${keyRef}`
          await vault.context.audit.append({ action: 'backup.split', actor: CLI_ACTOR, subject, details: { shares, threshold } })
          const what = recovery === undefined ? `root key ${keyRef}` : `recovery key ${keyRef} (root key ${rootKeyRef} is held by ${kind}); earlier recovery shares no longer work`
          print(out, { shares: texts, threshold, rootKeyRef, ...(recovery === undefined ? {} : { recoveryKeyRef: keyRef }) }, () =>
            [`# ${shares} shares of ${what}; any ${threshold} rebuild it. Give each to a different custodian.`, ...texts].join('\n'),
          )
        } finally {
          key.fill(0)
        }
      }),
    )

  backup
    .command('restore')
    .description('rebuild the root key from shares (files, or stdin), check it opens this vault, write it as a new 0600 key file')
    .option('--share-file <file>', 'a file holding one or more shares (repeatable; default: read stdin)', (value: string, previous: string[] = []) => [...previous, value])
    .requiredOption('--out <file>', 'the key file to write (never overwritten)')
    .action(async (options, command: Command) => {
      const out = outputFor(command, ctx)
      const config = parseVaultConfig({ ...command.optsWithGlobals(), keyProvider: 'local' }, { ...ctx.env, COFFRE_MASTER_KEY: undefined }, ctx.cwd)
      const files: string[] = options.shareFile ?? ['-']
      const shares = files.flatMap((file) => {
        const bytes = readInput(file, 'shares')
        try {
          return parseShares(Buffer.from(bytes).toString('utf8'))
        } finally {
          bytes.fill(0)
        }
      })
      const store = await openStore(config.store)
      const [vaultId, recoveryKeyRef] = await Promise.all([readVaultId(store.db), readRecoveryKeyRef(store.db)]).finally(() => store.close())
      const key = await combineRootKeyShares(shares, { vaultId })
      try {
        const vault = await openVault({ ...config, rootKey: { kind: 'local', masterKey: key } }).catch((error: unknown) => {
          if (isCoffreError(error) && error.code === 'COFFRE_ROOT_KEY_INVALID') throw new CoffreError('COFFRE_BACKUP_INVALID', 'the rebuilt key does not open this vault', { details: { problem: 'wrong-vault' } })
          throw error
        })
        let keyRef: string
        try {
          const report = await vault.doctor({ actor: CLI_ACTOR, secrets: false, scheduler: false })
          const rootKey = report.checks.find((c) => c.name === 'root-key')
          if (rootKey?.ok !== true) throw new CoffreError('COFFRE_BACKUP_INVALID', `the rebuilt key does not open every data key: ${rootKey?.detail ?? 'unknown'}`, { details: { problem: 'wrong-vault' } })
          keyRef = vault.context.keyring.provider.info.keyRef
          writeKeyFile(options.out, key)
          await vault.context.audit.append({ action: 'backup.restore', actor: CLI_ACTOR, subject: `root_key:${keyRef}`, details: { shares: shares.length } })
        } finally {
          await vault.close()
        }
        if (keyRef === recoveryKeyRef) {
          const next = `coffre --key-file ${options.out} keys rotate-root --to <pkcs11|aws-kms|local> ...`
          print(out, { keyFile: options.out, recoveryKeyRef: keyRef, sharesUsed: shares.length, next }, () =>
            `recovery key ${keyRef} restored to ${options.out} (mode 0600); it opens this vault with --key-file. Make a new primary root key next: ${next}`,
          )
          return
        }
        print(out, { keyFile: options.out, rootKeyRef: keyRef, sharesUsed: shares.length }, () => `root key ${keyRef} restored to ${options.out} (mode 0600); it opens this vault`)
      } finally {
        key.fill(0)
      }
    })
}

async function readVaultId(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('coffre_meta').select('value').where('key', '=', 'vault_id').executeTakeFirst()
  return row?.value
}

function localRootKey(config: RootKeyConfig): Uint8Array {
  if (config.kind !== 'local') throw new CoffreError('COFFRE_UNSUPPORTED', `the root key is held by ${config.kind} and cannot be read out to split`)
  if ('masterKey' in config) return Uint8Array.from(config.masterKey)
  const raw = new Uint8Array(readFileSync(config.keyFile))
  if (raw.length === 32) return raw
  const text = Buffer.from(raw).toString('latin1')
  raw.fill(0)
  return decodeMasterKey(text)
}

function writeKeyFile(path: string, key: Uint8Array): void {
  try {
    writeKeyFileDurably(path, key)
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST'
    throw new CoffreError(exists ? 'COFFRE_CONFLICT' : 'COFFRE_INVALID_INPUT', exists ? `${path} already exists; restore refuses to overwrite a key file` : `cannot write ${path}`, { cause })
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new CoffreError('COFFRE_INVALID_CONFIG', `${path} was created readable by others`)
}
