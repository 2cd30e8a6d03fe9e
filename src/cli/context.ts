/** What every CLI command gets: parsed global options, the environment, output, and vault opening. */
import type { Command } from 'commander'
import { parseVaultConfig, type Environment } from '../config.ts'
import { openVault, type Vault } from '../vault/openVault.ts'
import type { Output } from './io.ts'

export type CliContext = {
  readonly env: Environment
  readonly cwd: string
  readonly stdout: (text: string) => void
  /** Resolves once stdout has taken everything written so far. */
  readonly flushStdout?: () => Promise<void>
}

export function outputFor(command: Command, ctx: CliContext): Output {
  const flushed = ctx.flushStdout
  return { json: command.optsWithGlobals().json === true, write: ctx.stdout, ...(flushed === undefined ? {} : { flushed }) }
}

export async function withVault<T>(command: Command, ctx: CliContext, fn: (vault: Vault, out: Output) => Promise<T>): Promise<T> {
  const config = parseVaultConfig(command.optsWithGlobals(), ctx.env, ctx.cwd)
  const vault = await openVault(config)
  try {
    return await fn(vault, outputFor(command, ctx))
  } finally {
    await vault.close()
  }
}

export const CLI_ACTOR = 'cli'
