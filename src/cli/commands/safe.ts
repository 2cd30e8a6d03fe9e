/**
 * `coffre safe create|propose|sign|execute`: Safe v1.4.1 multisigs with the user's vault EOA as an
 * owner (vault.safe, docs/safe.md). Nothing is broadcast: `create` and `execute` print the
 * transaction to send ({ to, data }); `propose` and `sign` print the SafeTx, its hash and the
 * vault owner's signature, to pass to co-signers and then to `execute` (--safe-tx-file, JSON).
 */
import type { Command } from 'commander'
import type { Hex } from 'viem'
import { CoffreError } from '../../errors.ts'
import type { SafeTxJson } from '../../vault/safe/safeService.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { parseIntegerOption, readJsonFile, writeOut } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

const collect = (value: string, previous: string[] = []) => [...previous, value]
const contractsFrom = (options: { proxyFactory?: string; singleton?: string; fallbackHandler?: string }) => {
  const given = [options.proxyFactory, options.singleton, options.fallbackHandler].filter((v) => v !== undefined).length
  if (given === 0) return {}
  if (given !== 3) throw new CoffreError('COFFRE_INVALID_INPUT', 'give all of --proxy-factory, --singleton and --fallback-handler, or none (the canonical v1.4.1 deployment)')
  return { contracts: { proxyFactory: options.proxyFactory as `0x${string}`, singleton: options.singleton as `0x${string}`, fallbackHandler: options.fallbackHandler as `0x${string}` } }
}

export function registerSafe(program: Command, ctx: CliContext): void {
  const safe = program.command('safe').description('Safe v1.4.1 multisig wallets with the user\'s vault key as an owner (nothing is broadcast)')

  addUserRefOptions(safe.command('create').description('the Safe\'s address (before deployment) and the transaction that deploys it'))
    .requiredOption('--co-signer <address>', 'another owner\'s address; repeatable', collect)
    .requiredOption('--threshold <t>', 'signatures needed')
    .option('--salt-nonce <n>', 'CREATE2 salt nonce (decimal)', '0')
    .option('--proxy-factory <address>', 'SafeProxyFactory (default: canonical v1.4.1)')
    .option('--singleton <address>', 'Safe or SafeL2 singleton')
    .option('--fallback-handler <address>', 'CompatibilityFallbackHandler')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const created = await vault.safe.create(userRefFrom(options), { coSigners: options.coSigner, threshold: parseIntegerOption(options.threshold, '--threshold', 1, 32), saltNonce: options.saltNonce, ...contractsFrom(options) })
        await writeOut(out, created, () => `safe ${created.safeAddress} (${created.threshold} of ${created.owners.join(', ')})\ndeploy: send to ${created.deployment.to} data ${created.deployment.data}`)
      }),
    )

  addUserRefOptions(safe.command('propose').description('build a SafeTx and sign it with the user\'s vault key (EIP-712)'))
    .requiredOption('--safe <address>', 'the Safe')
    .requiredOption('--chain-id <n>', 'chain id')
    .requiredOption('--to <address>', 'call target')
    .option('--value <wei>', 'native value (decimal)', '0')
    .option('--data <hex>', 'call data', '0x')
    .requiredOption('--nonce <n>', 'the Safe\'s nonce for this transaction')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const signed = await vault.safe.propose(userRefFrom(options), { safe: options.safe, chainId: parseIntegerOption(options.chainId, '--chain-id', 1), to: options.to, value: options.value, data: options.data as Hex, nonce: options.nonce }, { actor: CLI_ACTOR })
        await writeOut(out, signed, () => `safeTxHash ${signed.safeTxHash}\nsigned by ${signed.owner}: ${signed.signature}`)
      }),
    )

  addUserRefOptions(safe.command('sign').description('co-sign a SafeTx (JSON from propose\'s safeTx) with the user\'s vault key'))
    .requiredOption('--safe <address>', 'the Safe')
    .requiredOption('--chain-id <n>', 'chain id')
    .requiredOption('--safe-tx-file <file>', 'the SafeTx JSON')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const signed = await vault.safe.sign(userRefFrom(options), { safe: options.safe, chainId: parseIntegerOption(options.chainId, '--chain-id', 1), safeTx: readJsonFile(options.safeTxFile, 'SafeTx') as SafeTxJson }, { actor: CLI_ACTOR })
        await writeOut(out, signed, () => `safeTxHash ${signed.safeTxHash}\nsigned by ${signed.owner}: ${signed.signature}`)
      }),
    )

  safe.command('execute').description('check the owners\' signatures and build execTransaction (send it from any funded account)')
    .requiredOption('--safe <address>', 'the Safe')
    .requiredOption('--chain-id <n>', 'chain id')
    .requiredOption('--safe-tx-file <file>', 'the SafeTx JSON')
    .requiredOption('--owner <address>', 'an owner of the Safe; repeat for each', collect)
    .requiredOption('--threshold <t>', 'the Safe\'s threshold')
    .requiredOption('--signature <hex>', 'an owner\'s signature; repeatable', collect)
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const call = vault.safe.execute({ safe: options.safe, chainId: parseIntegerOption(options.chainId, '--chain-id', 1), safeTx: readJsonFile(options.safeTxFile, 'SafeTx') as SafeTxJson, owners: options.owner, threshold: parseIntegerOption(options.threshold, '--threshold', 1, 32), signatures: options.signature })
        await writeOut(out, call, () => `execute: send to ${call.to} data ${call.data}\nsigners ${call.signers.join(', ')}`)
      }),
    )
}
