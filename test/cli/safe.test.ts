/**
 * `coffre safe create|propose|sign|execute` through the CLI command tree against anvil and the
 * official Safe v1.4.1 artifacts: the printed deployment and execTransaction calls are sent by the
 * test's funded account, and a 2-of-3 Safe (vault EOA + two co-signers held by the test) pays out.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { getAddress, parseEther } from 'viem'
import { signDigestHex } from '../../src/chain/evm/signDigest.ts'
import { signSafeHash } from '../../src/chain/safe/safeSignatures.ts'
import { evmAddressFromPrivateKey } from '../../src/wallet/evmAddress.ts'
import { startAnvil, type Anvil } from '../support/anvil.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { deploySafeContracts, type SafeChain } from '../chain/safe/safeArtifacts.ts'

let anvil: Anvil
let chain: SafeChain
let dir: string
before(async () => {
  anvil = await startAnvil()
  chain = await deploySafeContracts(anvil.url)
  dir = mkdtempSync(join(tmpdir(), 'coffre-safe-cli-'))
})
after(async () => {
  rmSync(dir, { recursive: true, force: true })
  await anvil?.stop()
})

const coffre = (args: string[]) => coffreInProcess(['--data-dir', join(dir, 'vault'), ...args, '--json'], { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined })
const send = async (tx: { to: `0x${string}`; data?: `0x${string}`; value?: bigint }) => chain.publicClient.waitForTransactionReceipt({ hash: await chain.walletClient.sendTransaction(tx) })

test('safe create, propose (vault signs), a co-signer signs, execute: the Safe pays out on anvil', async () => {
  assert.equal((await coffre(['init'])).code, 0)
  const user = (await coffre(['users', 'create', '--telegram-id', '601'])).json
  const keys = [new Uint8Array(randomBytes(32)), new Uint8Array(randomBytes(32))]
  const coSigners = keys.map((key) => ({ key, address: evmAddressFromPrivateKey(key), signDigest: async (d: Uint8Array) => signDigestHex(key, d) }))
  const contracts = ['--proxy-factory', chain.proxyFactory, '--singleton', chain.singleton, '--fallback-handler', chain.fallbackHandler]
  const created = await coffre(['safe', 'create', '--id', user.id, ...coSigners.flatMap((c) => ['--co-signer', c.address]), '--threshold', '2', '--salt-nonce', '9', ...contracts])
  assert.equal(created.code, 0, created.stderr)
  assert.equal((await send(created.json.deployment)).status, 'success')
  const safe = created.json.safeAddress
  assert.ok((await chain.publicClient.getCode({ address: safe }))?.length, 'deployed at the predicted address')
  await send({ to: safe, value: parseEther('1') })

  const recipient = getAddress(`0x${randomBytes(20).toString('hex')}`)
  const common = ['--safe', safe, '--chain-id', String(anvil.chainId)]
  const proposed = await coffre(['safe', 'propose', '--id', user.id, ...common, '--to', recipient, '--value', String(parseEther('0.5')), '--nonce', '0'])
  assert.equal(proposed.code, 0, proposed.stderr)
  const txFile = join(dir, 'safe-tx.json')
  writeFileSync(txFile, JSON.stringify(proposed.json.safeTx))
  const again = await coffre(['safe', 'sign', '--id', user.id, ...common, '--safe-tx-file', txFile])
  assert.equal(again.json.safeTxHash, proposed.json.safeTxHash)
  const cosigned = await signSafeHash(coSigners[1]!, new Uint8Array(Buffer.from(proposed.json.safeTxHash.slice(2), 'hex')))
  const owners = created.json.owners.flatMap((o: string) => ['--owner', o])
  const tooFew = await coffre(['safe', 'execute', ...common, '--safe-tx-file', txFile, ...owners, '--threshold', '2', '--signature', proposed.json.signature])
  assert.match(tooFew.stderr, /COFFRE_SAFE_THRESHOLD_NOT_MET/)
  const executed = await coffre(['safe', 'execute', ...common, '--safe-tx-file', txFile, ...owners, '--threshold', '2', '--signature', cosigned.signature, '--signature', proposed.json.signature])
  assert.equal(executed.code, 0, executed.stderr)
  assert.equal((await send({ to: executed.json.to, data: executed.json.data })).status, 'success')
  assert.equal(await chain.publicClient.getBalance({ address: recipient }), parseEther('0.5'))
})
