/**
 * Compiles the test contracts (test/chain/contracts/*.sol) with npm `solc` (WASM, offline). The
 * standard-JSON output is cached in test/artifacts/ keyed by SHA-256 of the compiler version and
 * every source, so only the first run after a change pays for solc; the cache file is written
 * atomically (temp + rename) because test files run in parallel processes.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Abi, Hex } from 'viem'

export type CompiledContract = { readonly abi: Abi; readonly bytecode: Hex }
export type ContractName = 'TestToken' | 'TestConditionalTokens' | 'TestCollateralOnramp' | 'TestMulticall3'

const sourceDir = fileURLToPath(new URL('./contracts/', import.meta.url))
const cacheDir = fileURLToPath(new URL('../artifacts/', import.meta.url))

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
}

let compiled: Record<string, CompiledContract> | undefined

function compileAll(): Record<string, CompiledContract> {
  const require = createRequire(import.meta.url)
  const solcVersion = (require('solc/package.json') as { version: string }).version
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.sol')).sort()
  const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(sourceDir, f), 'utf8') }]))
  const hash = createHash('sha256').update(solcVersion).update(JSON.stringify(sources)).digest('hex').slice(0, 32)
  const cacheFile = join(cacheDir, `contracts-${hash}.json`)
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, CompiledContract>

  const solc = require('solc') as { compile(input: string): string }
  const input = {
    language: 'Solidity',
    sources,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`)
  const result: Record<string, CompiledContract> = {}
  for (const file of Object.values(output.contracts)) {
    for (const [name, contract] of Object.entries(file)) result[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
  }
  mkdirSync(cacheDir, { recursive: true })
  const temp = `${cacheFile}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify(result))
  renameSync(temp, cacheFile)
  return result
}

export function compiledContract(name: ContractName): CompiledContract {
  compiled ??= compileAll()
  const contract = compiled[name]
  if (contract === undefined) throw new Error(`no compiled contract ${name}`)
  return contract
}
