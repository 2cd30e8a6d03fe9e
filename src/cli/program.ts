/** The `coffre` command tree. Global store/key options are accepted before or after a subcommand. */
import { Command } from 'commander'
import { registerAudit } from './commands/audit.ts'
import { registerBackup } from './commands/backup.ts'
import { registerImportLegacy } from './commands/importLegacy.ts'
import { registerKeys } from './commands/keys.ts'
import { registerDoctor } from './commands/doctor.ts'
import { registerInit } from './commands/init.ts'
import { registerSign } from './commands/sign.ts'
import { registerUsers } from './commands/users.ts'
import { registerServe } from './commands/serve.ts'
import { registerTokens } from './commands/tokens.ts'
import { registerPolicies } from './commands/policies.ts'
import { registerDerive } from './commands/derive.ts'
import { registerPairs } from './commands/pairs.ts'
import { registerPolymarket } from './commands/polymarket.ts'
import { registerGuardians } from './commands/guardians.ts'
import { registerRecovery } from './commands/recovery.ts'
import { registerSafe } from './commands/safe.ts'
import { registerChain } from './commands/chain.ts'
import { registerWebhooks } from './commands/webhooks.ts'
import { registerWithdraw } from './commands/withdraw.ts'
import type { CliContext } from './context.ts'

export function createProgram(ctx: CliContext): Command {
  const program = new Command('coffre')
    .description('Coffre: a self-hosted custodial key vault for trading bots')
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data directory for the SQLite database and the root key file (default ./.coffre, or COFFRE_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (or DATABASE_URL)')
    .option('--key-file <file>', 'local root key file (default <data-dir>/root.key); COFFRE_MASTER_KEY (base64) otherwise')
    .option('--key-provider <kind>', 'root key provider: local, pkcs11 or aws-kms')
    .option('--pkcs11-module <path>', 'PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so)')
    .option('--pkcs11-token <label>', 'PKCS#11 token label')
    .option('--pkcs11-key-label <label>', 'label of the root AES key on the token')
    .option('--pkcs11-pin-file <file>', 'file holding the token user PIN')
    .option('--kms-key-id <id>', 'AWS KMS key id or ARN')
    .option('--kms-region <region>', 'AWS region')
    .option('--kms-endpoint <url>', 'AWS KMS endpoint (e.g. a local KMS)')
    .option('--mnemonic-words <n>', '12 or 24 words for new users')
    .option('--backup-s3-bucket <name>', 'S3 bucket for share 2 of user backups (or COFFRE_BACKUP_S3_BUCKET; object lock used when the bucket has it)')
    .option('--backup-s3-region <region>', 'its region (or COFFRE_BACKUP_S3_REGION, AWS_REGION)')
    .option('--backup-s3-endpoint <url>', 'an S3-compatible endpoint (or COFFRE_BACKUP_S3_ENDPOINT), path-style')
    .option('--backup-s3-prefix <prefix>', 'key prefix ending with / (default coffre/)')
    .option('--backup-s3-retention-days <n>', 'object-lock retention of each share (default 3650)')
    .option('--backup-s3-require-lock', 'refuse to store a share in a bucket without object lock')
    .option('--recovery-waiting-seconds <n>', 'seconds between guardian approval and an account recovery\'s move (default 172800; or COFFRE_RECOVERY_WAITING_SECONDS)')
    .option('--polygon-rpc-url <urls>', 'Polygon JSON-RPC URLs, comma-separated, tried in order (or COFFRE_POLYGON_RPC_URL)')
    .option('--solana-rpc-url <urls>', 'Solana JSON-RPC URLs, comma-separated, tried in order (or COFFRE_SOLANA_RPC_URL)')
    .option('--polygon-chain-id <id>', 'EVM chain id every Polygon URL must serve (default 137; or COFFRE_POLYGON_CHAIN_ID)')
    .option('--polygon-contracts <json|file>', 'contract address overrides, e.g. {"pUsd":"0x…"} (or COFFRE_POLYGON_CONTRACTS)')
    .option('--polygon-confirmations <n>', 'blocks on top before a deposit or receipt counts (default 32; or COFFRE_POLYGON_CONFIRMATIONS)')
    .option('--solana-genesis-hash <hash>', 'genesis hash every Solana URL must serve (or COFFRE_SOLANA_GENESIS_HASH)')
    .option('--solana-usdc-mint <address>', 'SPL USDC mint (default mainnet USDC; or COFFRE_SOLANA_USDC_MINT)')
    .option('--webhook-url <url>', 'POST on-chain events here; repeat for several (or COFFRE_WEBHOOK_URL, comma-separated)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--webhook-secret-file <file>', 'HMAC-SHA256 secret of the webhook signatures (or COFFRE_WEBHOOK_SECRET)')
    .showHelpAfterError(false)
  registerInit(program, ctx)
  registerUsers(program, ctx)
  registerSign(program, ctx)
  registerAudit(program, ctx)
  registerDoctor(program, ctx)
  registerKeys(program, ctx)
  registerBackup(program, ctx)
  registerImportLegacy(program, ctx)
  registerServe(program, ctx)
  registerTokens(program, ctx)
  registerPolicies(program, ctx)
  registerDerive(program, ctx)
  registerPairs(program, ctx)
  registerPolymarket(program, ctx)
  registerGuardians(program, ctx)
  registerRecovery(program, ctx)
  registerSafe(program, ctx)
  registerChain(program, ctx)
  registerWebhooks(program, ctx)
  registerWithdraw(program, ctx)
  return program
}
