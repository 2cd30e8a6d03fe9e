/**
 * vault.safe on anvil with the official Safe v1.4.1 artifacts: a 2-of-3 Safe owned by a vault
 * user's EOA and two co-signers whose keys only this test holds. The address is predicted before
 * deployment (and equals the factory's own computation and where the proxy appears); the vault
 * signs the SafeTx through sign.typedData (an audited key use); a co-signer signs; the Safe
 * executes the transfer; below the threshold nothing is built.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { getAddress, parseEther, type Address, type Hex } from 'viem'
import { signDigestHex } from '../../../src/chain/evm/signDigest.ts'
import { safeAbi, safeProxyFactoryAbi } from '../../../src/chain/safe/safeAbi.ts'
import { buildSafeTx, hashSafeTx } from '../../../src/chain/safe/safeTx.ts'
import { signSafeHash } from '../../../src/chain/safe/safeSignatures.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { safeTxToJson } from '../../../src/vault/safe/safeService.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'
import { startAnvil, type Anvil } from '../../support/anvil.ts'
import { refusalCode } from '../../support/refusal.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { deploySafeContracts, type SafeChain } from '../../chain/safe/safeArtifacts.ts'

const coSigner = () => {
  const key = new Uint8Array(randomBytes(32))
  return { key, address: evmAddressFromPrivateKey(key), signDigest: async (digest: Uint8Array) => signDigestHex(key, digest) }
}

let anvil: Anvil
let chain: SafeChain
let t: TestVault
before(async () => {
  anvil = await startAnvil()
  chain = await deploySafeContracts(anvil.url)
  t = await openTestVault('sqlite')
})
after(async () => {
  await t?.cleanup()
  await anvil?.stop()
})

test('a 2-of-3 Safe with the vault EOA as owner: predicted, deployed, a transfer signed by the vault and a co-signer, executed', async () => {
  const user = await t.vault.users.create({ telegramUserId: 3001 })
  const [a, b] = [coSigner(), coSigner()]
  const contracts = { proxyFactory: chain.proxyFactory, singleton: chain.singleton, fallbackHandler: chain.fallbackHandler }
  const created = await t.vault.safe.create({ id: user.id }, { coSigners: [a.address, b.address], threshold: 2, saltNonce: '7', contracts })
  assert.deepEqual(created.owners, [getAddress(user.polygonAddress), getAddress(a.address), getAddress(b.address)])
  assert.equal(await chain.publicClient.getCode({ address: created.safeAddress }), undefined, 'not deployed yet')
  const simulated = await chain.publicClient.simulateContract({ account: chain.walletClient.account, address: chain.proxyFactory, abi: safeProxyFactoryAbi, functionName: 'createProxyWithNonce', args: [chain.singleton, created.initializer, 7n] })
  assert.equal(simulated.result, created.safeAddress, 'the factory computes the same address')
  const deployed = await chain.publicClient.waitForTransactionReceipt({ hash: await chain.walletClient.sendTransaction(created.deployment) })
  assert.equal(deployed.status, 'success')
  const safe: Address = created.safeAddress
  assert.deepEqual(await chain.publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'getOwners' } as never), created.owners)

  await chain.publicClient.waitForTransactionReceipt({ hash: await chain.walletClient.sendTransaction({ to: safe, value: parseEther('1') }) })
  const recipient = getAddress(`0x${randomBytes(20).toString('hex')}`)
  const uses = await contextOf(t.vault).store.db.selectFrom('audit_log').select('details').where('action', '=', 'key.use').execute()
  const proposed = await t.vault.safe.propose({ id: user.id }, { safe, chainId: anvil.chainId, to: recipient, value: String(parseEther('0.25')), nonce: '0' })
  assert.equal(proposed.owner, getAddress(user.polygonAddress))
  const onChainHash = await chain.publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'getTransactionHash', args: [recipient, parseEther('0.25'), '0x', 0, 0n, 0n, 0n, proposed.safeTx.gasToken, proposed.safeTx.refundReceiver, 0n] } as never)
  assert.equal(proposed.safeTxHash, onChainHash)
  const after = await contextOf(t.vault).store.db.selectFrom('audit_log').select('details').where('action', '=', 'key.use').execute()
  assert.equal(after.length, uses.length + 1)
  assert.equal(JSON.parse(after.at(-1)!.details).purpose, 'sign.typed-data', 'the vault key signed through the typed-data signing path')

  const cosigned = await signSafeHash(a, new Uint8Array(Buffer.from(proposed.safeTxHash.slice(2), 'hex')))
  const base = { safe, chainId: anvil.chainId, safeTx: proposed.safeTx, owners: created.owners, threshold: 2 }
  assert.equal(await refusalCode(() => t.vault.safe.execute({ ...base, signatures: [proposed.signature] })), 'COFFRE_SAFE_THRESHOLD_NOT_MET')
  const call = t.vault.safe.execute({ ...base, signatures: [cosigned.signature, proposed.signature] })
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: await chain.walletClient.sendTransaction({ to: call.to, data: call.data }) })
  assert.equal(receipt.status, 'success')
  assert.equal(await chain.publicClient.getBalance({ address: recipient }), parseEther('0.25'))

  // A second vault user who is not an owner signs, but the signature is refused as a non-owner's.
  const stranger = await t.vault.users.create({ telegramUserId: 3002 })
  const next = buildSafeTx({ to: recipient, value: 1n, nonce: 1n })
  const strangerSig = await t.vault.safe.sign({ id: stranger.id }, { safe, chainId: anvil.chainId, safeTx: safeTxToJson(next) })
  const ownerSig = await t.vault.safe.sign({ id: user.id }, { safe, chainId: anvil.chainId, safeTx: safeTxToJson(next) })
  assert.equal(ownerSig.safeTxHash, `0x${Buffer.from(hashSafeTx(next, { chainId: anvil.chainId, safe })).toString('hex')}` as Hex)
  assert.equal(await refusalCode(() => t.vault.safe.execute({ ...base, safeTx: safeTxToJson(next), signatures: [ownerSig.signature, strangerSig.signature] })), 'COFFRE_SAFE_SIGNATURE_INVALID')
})
