/**
 * `coffre users backup create|restore|list`: per-user Shamir backups (vault.userBackups,
 * docs/recovery.md). Secrets (passphrases, share texts) come from files or stdin, never argv.
 * `create` prints share 3 sealed (HPKE to --recipient-public-key, or under --passphrase-file):
 * it is shown once; `--out` also writes it to a new file (mode 0600).
 */
import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { CoffreError } from '../../errors.ts'
import type { PassphraseSealedShare } from '../../recovery/sealing/sealShareWithPassphrase.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, readJsonFile, readSecretText, writeOut } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function registerUserBackup(users: Command, ctx: CliContext): void {
  const backup = users.command('backup').description('per-user Shamir backups of the wallet: share 1 in the vault, 2 in object storage (--backup-s3-bucket), 3 sealed to the user')

  addUserRefOptions(backup.command('create').description('split the user\'s BIP-39 entropy t-of-3 and place the shares; prints share 3 sealed, once'))
    .option('--recipient-public-key <base64>', 'seal share 3 with HPKE to this X25519 public key (raw, base64)')
    .option('--passphrase-file <file>', 'seal share 3 under the passphrase in this file (- for stdin; at least 12 characters)')
    .option('--threshold <t>', 'shares needed to restore: 2 or 3', '2')
    .option('--out <file>', 'also write the sealed share 3 (JSON) to this new file, mode 0600')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if ((options.recipientPublicKey === undefined) === (options.passphraseFile === undefined)) throw new CoffreError('COFFRE_INVALID_INPUT', 'give exactly one of --recipient-public-key or --passphrase-file')
        const userShare = options.recipientPublicKey !== undefined ? { recipientPublicKey: options.recipientPublicKey as string } : { passphrase: readSecretText(options.passphraseFile, 'passphrase') }
        const created = await vault.userBackups.create(userRefFrom(options), { userShare, threshold: parseIntegerOption(options.threshold, '--threshold', 2, 3) }, { actor: CLI_ACTOR })
        if (options.out !== undefined) writeFileSync(options.out, `${JSON.stringify(created.sealedUserShare, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
        await writeOut(out, created, () =>
          [
            `backup ${created.backupId} of user ${created.userId}: ${created.threshold}-of-${created.shares}`,
            `  share ${created.vaultShare.index}: sealed in the vault`,
            `  share ${created.objectShare.index}: s3://${created.objectShare.bucket}/${created.objectShare.key}${created.objectShare.lockedUntil === null ? ' (no object lock)' : ` (locked until ${created.objectShare.lockedUntil})`}`,
            `  share ${created.userShare.index}: ${created.userShare.format}, for the user (shown once):`,
            JSON.stringify(created.sealedUserShare),
          ].join('\n'),
        )
      }),
    )

  addUserRefOptions(backup.command('restore').description('restore (or with --verify-only check) the user\'s wallet from t shares; refused unless they give back the stored addresses'))
    .option('--backup-id <uuid>', 'the backup (default: the newest)')
    .option('--share-file <file>', 'a file holding one share text (cfus1.…); repeatable', collect)
    .option('--passphrase-share-file <file>', 'the passphrase-sealed share 3 (JSON)')
    .option('--passphrase-file <file>', 'its passphrase (- for stdin)')
    .option('--no-vault-share', 'do not use the share sealed in the vault')
    .option('--no-object-share', 'do not use the share in object storage')
    .option('--verify-only', 'check the shares and the addresses; write nothing')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if ((options.passphraseShareFile === undefined) !== (options.passphraseFile === undefined)) throw new CoffreError('COFFRE_INVALID_INPUT', '--passphrase-share-file and --passphrase-file go together')
        const shares = ((options.shareFile ?? []) as string[]).map((file) => readSecretText(file, 'share'))
        const passphraseShare = options.passphraseShareFile === undefined ? undefined : { envelope: readJsonFile(options.passphraseShareFile, 'sealed share') as PassphraseSealedShare, passphrase: readSecretText(options.passphraseFile, 'passphrase') }
        const restored = await vault.userBackups.restore(
          userRefFrom(options),
          {
            ...(options.backupId === undefined ? {} : { backupId: options.backupId }),
            shares,
            ...(passphraseShare === undefined ? {} : { passphraseShare }),
            useVaultShare: options.vaultShare !== false,
            useObjectShare: options.objectShare !== false,
            verifyOnly: options.verifyOnly === true,
          },
          { actor: CLI_ACTOR },
        )
        await writeOut(out, restored, () =>
          [
            `${restored.restored ? 'restored' : 'verified (nothing written)'}: backup ${restored.backupId} of user ${restored.userId}`,
            `  shares ${restored.sharesUsed.map((s) => `${s.index} (${s.source})`).join(', ')}`,
            `  polygon ${restored.polygonAddress}`,
            `  solana  ${restored.solanaAddress}`,
          ].join('\n'),
        )
      }),
    )

  addUserRefOptions(backup.command('list').description('the user\'s backups and where their shares went'))
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const backups = await vault.userBackups.list(userRefFrom(options))
        await writeOut(out, { backups }, () => backups.map((b) => `${b.backupId} ${b.threshold}-of-${b.shares} ${b.createdAt} s3://${b.objectShare.bucket}/${b.objectShare.key}`).join('\n') || 'no backups')
      }),
    )
}
