/**
 * `vault.backup.split` in a child process that the crash matrix kills at a chosen phase: it runs
 * phase 1 (the new recovery key recorded as pending), prints the shares or not (`print`), then
 * touches `marker` and waits to be killed — so the kill lands exactly between "pending committed"
 * (and maybe "shares printed") and the confirmation.
 * stdin: {"options": CLI options of the store and root key, "dir": cwd, "print": boolean, "marker": path}
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseVaultConfig } from '../../../src/config.ts'
import { openVault } from '../../../src/vault/openVault.ts'

type Input = { options: Record<string, string>; dir: string; print: boolean; marker: string }

const input = JSON.parse(readFileSync(0, 'utf8')) as Input
const vault = await openVault(parseVaultConfig(input.options, {}, input.dir))
const split = await vault.backup.split({ shares: 3, threshold: 2 }, { actor: 'faults-split-child' })
if (input.print) process.stdout.write(`${JSON.stringify({ shares: split.shares, recoveryKeyRef: split.recoveryKeyRef })}\n`)
writeFileSync(input.marker, 'pending committed\n')
setInterval(() => {}, 60_000)
