/** `coffre keys list|status|rotate-data|rotate-root` (vault.keys, rotateRootKeyTo). */
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { parseVaultConfig, type Environment, type RootKeyConfig } from '../../config.ts'
import { CoffreError } from '../../errors.ts'
import { rotateRootKeyTo } from '../../vault/keyManagement/rotateRootKeyTo.ts'
import type { Vault } from '../../vault/vault.ts'
import { CLI_ACTOR, outputFor, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, print } from '../io.ts'

const KEY_ENV = /^COFFRE_(KEY_PROVIDER|KEY_FILE|MASTER_KEY|PKCS11_.*|KMS_.*)$/

export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('data keys and the root key: list, status, rotation')

  keys
    .command('list')
    .description('data keys: id, state, encryptionCount, budget, createdAt, provider')
    .action((_options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const list = await vault.keys.list()
        print(out, list, () => list.map((k) => `${k.id}  ${k.state.padEnd(12)} ${k.encryptionCount}/${k.budget}  ${k.createdAt}  ${k.provider.kind} ${k.provider.keyRef}`).join('\n'))
      }),
    )

  keys
    .command('status')
    .description('root key provider, data keys, rotation progress and whether a rotation is due')
    .option('--cryptoperiod-days <n>', 'maximum age of the active data key', '90')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const status = await vault.keys.status({ cryptoperiodDays: parseIntegerOption(options.cryptoperiodDays, '--cryptoperiod-days', 1) })
        print(out, status, () =>
          [
            `root key: ${status.provider.kind} ${status.provider.keyRef}`,
            `active data key: ${status.activeDataKeyId}`,
            ...status.keys.map((k) => `  ${k.id} ${k.state} ${k.encryptionCount}/${k.budget} encryptions, created ${k.createdAt}`),
            ...status.progress.map((p) => `  re-encryption off ${p.dataKeyId}: ${p.doneRows}/${p.totalRows}${p.finishedAt ? ' (retired)' : ''}`),
            status.due.due ? `rotation due: ${status.due.reasons.join('; ')}` : 'no rotation due',
          ].join('\n'),
        )
      }),
    )

  keys
    .command('rotate-data')
    .description('make a new active data key and re-encrypt every secret under it (online, resumable); retires the old key')
    .option('--batch-size <n>', 'rows per committed batch', '2000')
    .option('--workers <n>', 'concurrent batch loops (PostgreSQL)', '2')
    .option('--if-due', 'only rotate when the nonce budget or the cryptoperiod says so (always finishes a pending rotation)')
    .option('--cryptoperiod-days <n>', 'maximum age of the active data key (with --if-due)', '90')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const batchSize = parseIntegerOption(options.batchSize, '--batch-size', 1, 20_000)
        const workers = parseIntegerOption(options.workers, '--workers', 1, 32)
        let startNewKey = true
        if (options.ifDue === true) startNewKey = (await vault.keys.due({ cryptoperiodDays: parseIntegerOption(options.cryptoperiodDays, '--cryptoperiod-days', 1) })).due
        const bar = await progressBar(vault, startNewKey)
        try {
          const summary = await vault.keys.rotateData({ batchSize, workers, startNewKey, actor: CLI_ACTOR, onBatch: (e) => bar.increment(e.rewritten) })
          bar.stop()
          print(out, summary, () =>
            `active data key ${summary.activeDataKeyId}${summary.newDataKeyId ? ' (new)' : ''}: ${summary.rewritten} secrets re-encrypted in ${summary.elapsedMs} ms (${summary.secretsPerSecond}/s); retired ${summary.retired.join(', ') || 'none'}` +
            (Object.keys(summary.remaining).length ? `; still referenced: ${JSON.stringify(summary.remaining)}` : ''),
          )
          if (summary.failures.length > 0 || Object.keys(summary.remaining).length > 0) process.exitCode = 1
        } finally {
          bar.stop()
        }
      }),
    )

  keys
    .command('rotate-root')
    .description('rewrap every data key under a new root key, in one transaction (also moves between providers)')
    .requiredOption('--to <kind>', 'target provider: local, pkcs11 or aws-kms')
    .option('--to-key-file <file>', 'local: the new root key file (created with mode 0600 if it does not exist)')
    .option('--to-pkcs11-module <path>', 'pkcs11: module path')
    .option('--to-pkcs11-token <label>', 'pkcs11: token label')
    .option('--to-pkcs11-key-label <label>', 'pkcs11: label of the root key (generated on the token if absent)')
    .option('--to-pkcs11-pin-file <file>', 'pkcs11: file holding the user PIN')
    .option('--to-kms-key-id <id>', 'aws-kms: key id or ARN')
    .option('--to-kms-region <region>', 'aws-kms: region')
    .option('--to-kms-endpoint <url>', 'aws-kms: endpoint')
    .action(async (options, command: Command) => {
      const target = targetRootKey(options, command, ctx)
      const config = parseVaultConfig(command.optsWithGlobals(), ctx.env, ctx.cwd)
      const out = outputFor(command, ctx)
      const result = await rotateRootKeyTo(config, target, { actor: CLI_ACTOR })
      if (result.alreadyRotated === true) {
        const { to, dataKeys, createdKeyFile } = result
        print(out, { alreadyRotated: true, to, dataKeys, createdKeyFile }, () => `the vault is already on root key ${to.kind} ${to.keyRef} (${dataKeys} data keys): a previous run committed; open it with the new key configuration`)
        return
      }
      print(out, result, () => `root key rotated: ${result.dataKeys} data keys rewrapped from ${result.from.kind} ${result.from.keyRef} to ${result.to.kind} ${result.to.keyRef} in ${result.elapsedMs} ms; open the vault with the new key configuration from now on`)
    })
}

function targetRootKey(options: Record<string, string | undefined>, command: Command, ctx: CliContext): RootKeyConfig {
  const to = options.to
  if (to !== 'local' && to !== 'pkcs11' && to !== 'aws-kms') throw new CoffreError('COFFRE_INVALID_INPUT', '--to must be local, pkcs11 or aws-kms')
  // The target is read from the --to-* flags only, never from the current key's flags or environment.
  const env: Environment = Object.fromEntries(Object.entries(ctx.env).filter(([k]) => !KEY_ENV.test(k)))
  const globals = command.optsWithGlobals()
  const raw = {
    ...(globals.dataDir === undefined ? {} : { dataDir: globals.dataDir }),
    keyProvider: to,
    ...pick({ keyFile: options.toKeyFile, pkcs11Module: options.toPkcs11Module, pkcs11Token: options.toPkcs11Token, pkcs11KeyLabel: options.toPkcs11KeyLabel, pkcs11PinFile: options.toPkcs11PinFile, kmsKeyId: options.toKmsKeyId, kmsRegion: options.toKmsRegion, kmsEndpoint: options.toKmsEndpoint }),
  }
  if (to === 'local' && options.toKeyFile === undefined) throw new CoffreError('COFFRE_INVALID_INPUT', '--to local needs --to-key-file (a new file is created with mode 0600)')
  return parseVaultConfig(raw, env, ctx.cwd).rootKey
}

function pick(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined))
}

/** A progress bar on stderr when it is a terminal (nothing otherwise); total = secrets to move. */
async function progressBar(vault: Vault, startNewKey: boolean): Promise<{ increment(n: number): void; stop(): void }> {
  if (process.stderr.isTTY !== true) return { increment() {}, stop() {} }
  const total = await vault.keys.secretsToMove({ startNewKey })
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 're-encrypting [{bar}] {value}/{total} secrets {percentage}% eta {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic)
  bar.start(total, 0)
  let stopped = false
  return {
    increment: (n) => bar.increment(n),
    stop() {
      if (!stopped) bar.stop()
      stopped = true
    },
  }
}
