/**
 * `coffre policies create|list|show|test`: signing policies (docs/policies.md). `test` is a dry
 * run: it prints the decision and the deciding rule, signs nothing, and exits 1 when the request
 * would be denied or held for approval.
 */
import type { Command } from 'commander'
import { CoffreError } from '../../errors.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { print, readJsonFile } from '../io.ts'

export function registerPolicies(program: Command, ctx: CliContext): void {
  const policies = program.command('policies').description('signing policies: what a token may make the vault sign')

  policies
    .command('create')
    .description('store a new immutable version of a policy (a document or a template instance, JSON)')
    .requiredOption('--name <name>', 'the policy name tokens refer to')
    .requiredOption('--file <path>', 'the JSON document (- for stdin)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const stored = await vault.policies.create({ name: options.name, document: readJsonFile(options.file, 'policy document') }, { actor: CLI_ACTOR })
        print(out, stored, () => `policy ${stored.name} version ${stored.version} stored`)
      }),
    )

  policies
    .command('list')
    .description('the latest version of every stored policy')
    .action((_options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const list = await vault.policies.list()
        print(out, { policies: list }, () => list.map((p) => `${p.name}  v${p.version}  ${p.createdAt}  by ${p.createdBy}`).join('\n') || 'no stored policies (built-in: allow-all, polymarket-trader, withdrawals)')
      }),
    )

  policies
    .command('show <name>')
    .description('the latest version of a policy and its version numbers')
    .action((name: string, _options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const shown = await vault.policies.show(name)
        print(out, shown, () => `${shown.name} v${shown.version} (versions ${shown.versions.join(', ')})\n${JSON.stringify(shown.document, null, 2)}`)
      }),
    )

  policies
    .command('test')
    .description('dry run: the decision and the deciding rule for a request (JSON: { operation, … }); exit 1 unless allowed')
    .option('--policy <name>', 'a stored or built-in policy')
    .option('--file <path>', 'a policy document not stored yet')
    .requiredOption('--request <path>', 'the request as JSON')
    .option('--user <id>', 'the user the request acts for ($user values)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if ((options.policy === undefined) === (options.file === undefined)) throw new CoffreError('COFFRE_INVALID_INPUT', 'give exactly one of --policy NAME or --file F')
        const result = await vault.policies.evaluate({
          request: readJsonFile(options.request, 'request'),
          ...(options.policy === undefined ? { document: readJsonFile(options.file, 'policy document') } : { policy: options.policy }),
          ...(options.user === undefined ? {} : { user: { id: options.user } }),
        })
        print(out, result, () => `${result.decision} (rule ${result.ruleId ?? 'none'}): ${result.reason}`)
        if (result.decision !== 'allow') process.exitCode = 1
      }),
    )
}
