/** `coffre tokens create|list|revoke`: bearer tokens for `coffre serve` (shown once, stored as SHA-256). */
import type { Command } from 'commander'
import { SCOPES } from '../../vault/tokens/scopes.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { print } from '../io.ts'

export function registerTokens(program: Command, ctx: CliContext): void {
  const tokens = program.command('tokens').description('API bearer tokens for coffre serve')

  tokens
    .command('create')
    .description(`create a token; it is printed once and only its hash is stored (scopes: ${SCOPES.join(', ')})`)
    .requiredOption('--scopes <list>', 'comma-separated scopes, e.g. users:read,users:write,sign')
    .option('--name <name>', 'a label for the token (audit actor http:<name>)', 'token')
    .option('--policy <name>', 'the signing policy it runs under (required with sign, export, users:write; --policy allow-all for a trusted internal tool)')
    .option('--namespace <name>', 'confine the token to one namespace')
    .option('--expires-in <duration>', 'lifetime: 30d, 12h, 90m, 3600s', '90d')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const created = await vault.tokens.create({ name: options.name, scopes: options.scopes, policy: options.policy, namespace: options.namespace, expiresIn: options.expiresIn }, { actor: CLI_ACTOR })
        print(out, created, () => `${created.token}\n(token ${created.id} "${created.name}", scopes ${created.scopes.join(',')}, policy ${created.policy}, expires ${created.expiresAt}; shown once, store it now)`)
      }),
    )

  tokens
    .command('list')
    .description('list tokens (never their secret text)')
    .action((_options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const list = await vault.tokens.list()
        print(out, { tokens: list }, () => list.map((t) => `${t.id}  ${t.name}  ${t.scopes.join(',')}  policy=${t.policy ?? 'allow-all(legacy)'}  namespace=${t.namespace ?? '*'}  expires=${t.expiresAt ?? 'never'}  ${tokenState(t)}`).join('\n') || 'no tokens')
      }),
    )

  tokens
    .command('revoke <id>')
    .description('revoke a token by id (tok_…); takes effect on every instance at once')
    .action((id: string, _options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const revoked = await vault.tokens.revoke(id, { actor: CLI_ACTOR })
        print(out, revoked, () => `revoked ${revoked.id} (${revoked.name})`)
      }),
    )
}

function tokenState(t: { revokedAt: string | null; expiresAt: string | null }): string {
  if (t.revokedAt !== null) return `revoked ${t.revokedAt}`
  return t.expiresAt !== null && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'active'
}
