/** The Safe routes over inject against anvil and the official Safe v1.4.1 artifacts: a 2-of-3 Safe pays out. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { getAddress, parseEther } from 'viem'
import { signDigestHex } from '../../src/chain/evm/signDigest.ts'
import { signSafeHash } from '../../src/chain/safe/safeSignatures.ts'
import { evmAddressFromPrivateKey } from '../../src/wallet/evmAddress.ts'
import { startAnvil, type Anvil } from '../support/anvil.ts'
import { deploySafeContracts, type SafeChain } from '../chain/safe/safeArtifacts.ts'
import { startHarness, type Harness } from './httpHarness.ts'

let anvil: Anvil
let chain: SafeChain
let h: Harness
before(async () => {
  anvil = await startAnvil()
  chain = await deploySafeContracts(anvil.url)
  h = await startHarness()
})
after(async () => {
  await h?.close()
  await anvil?.stop()
})

const send = async (tx: { to: `0x${string}`; data?: `0x${string}`; value?: bigint }) => chain.publicClient.waitForTransactionReceipt({ hash: await chain.walletClient.sendTransaction(tx) })

test('POST /v1/users/{id}/safe, /safe/propose (scope sign) and /v1/safe/execute: the calls they return deploy and run a 2-of-3 Safe', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 51 })
  const co = [0, 1].map(() => {
    const key = new Uint8Array(randomBytes(32))
    return { key, address: evmAddressFromPrivateKey(key), signDigest: async (d: Uint8Array) => signDigestHex(key, d) }
  })
  const contracts = { proxyFactory: chain.proxyFactory, singleton: chain.singleton, fallbackHandler: chain.fallbackHandler }
  const created = await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/safe`, headers: h.auth('users:read'), payload: { coSigners: co.map((c) => c.address), threshold: 2, saltNonce: '3', contracts } })
  assert.equal(created.statusCode, 200, created.body)
  const { safeAddress, deployment, owners } = created.json()
  assert.equal((await send(deployment)).status, 'success')
  await send({ to: safeAddress, value: parseEther('1') })
  const recipient = getAddress(`0x${randomBytes(20).toString('hex')}`)
  const body = { safe: safeAddress, chainId: anvil.chainId, to: recipient, value: String(parseEther('0.1')), nonce: '0' }
  assert.equal((await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/safe/propose`, headers: h.auth('users:read'), payload: body })).statusCode, 403, 'signing needs the sign scope')
  const proposed = await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/safe/propose`, headers: h.auth('sign'), payload: body })
  assert.equal(proposed.statusCode, 200, proposed.body)
  const { safeTx, safeTxHash, signature } = proposed.json()
  const cosigned = await signSafeHash(co[0]!, new Uint8Array(Buffer.from(safeTxHash.slice(2), 'hex')))
  const executed = await h.app.inject({ method: 'POST', url: '/v1/safe/execute', headers: h.auth('users:read'), payload: { safe: safeAddress, chainId: anvil.chainId, safeTx, owners, threshold: 2, signatures: [signature, cosigned.signature] } })
  assert.equal(executed.statusCode, 200, executed.body)
  assert.equal((await send({ to: executed.json().to, data: executed.json().data })).status, 'success')
  assert.equal(await chain.publicClient.getBalance({ address: recipient }), parseEther('0.1'))
  const short = await h.app.inject({ method: 'POST', url: '/v1/safe/execute', headers: h.auth('users:read'), payload: { safe: safeAddress, chainId: anvil.chainId, safeTx, owners, threshold: 2, signatures: [signature] } })
  assert.equal(short.json().error.code, 'COFFRE_SAFE_THRESHOLD_NOT_MET')
})
