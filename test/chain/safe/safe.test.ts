/**
 * A 2-of-3 Safe v1.4.1 on anvil, from the official artifacts: its address predicted before
 * deployment and cross-checked with the factory's own computation and the deployed proxy; SafeTx
 * hashes cross-checked with the Safe's getTransactionHash; owner signatures collected, sorted and
 * executed (an ERC-20 and a native transfer); the Safe's ERC-1271 check of owner signatures.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { encodeAbiParameters, encodeFunctionData, erc20Abi, getAddress, parseEther, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { signDigestHex } from '../../../src/chain/evm/signDigest.ts'
import { encodeExecTransaction } from '../../../src/chain/safe/encodeExecTransaction.ts'
import { predictSafeAddress } from '../../../src/chain/safe/predictSafeAddress.ts'
import { ERC1271_MAGIC_VALUE, safeAbi, safeFallbackAbi, safeProxyFactoryAbi } from '../../../src/chain/safe/safeAbi.ts'
import { SAFE_PROXY_CREATION_CODE } from '../../../src/chain/safe/safeDeployments.ts'
import { collectSafeSignatures, signSafeHash, type DigestSigner } from '../../../src/chain/safe/safeSignatures.ts'
import { encodeSafeSetup } from '../../../src/chain/safe/safeSetup.ts'
import { buildSafeTx, hashSafeMessageForHash, hashSafeTx, type SafeTx } from '../../../src/chain/safe/safeTx.ts'
import { refusalCode as codeOf } from '../../support/refusal.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'
import { startAnvil, type Anvil } from '../../support/anvil.ts'
import { artifacts, deploySafeContracts, type SafeChain } from './safeArtifacts.ts'

const hex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`

/** An owner whose key only this test holds. */
function owner(): DigestSigner & { key: Uint8Array } {
  const key = new Uint8Array(randomBytes(32))
  return { key, address: evmAddressFromPrivateKey(key), signDigest: async (digest) => signDigestHex(key, digest) }
}


describe('Safe v1.4.1 on anvil', () => {
  let anvil: Anvil
  let chain: SafeChain
  let safe: Address
  const owners = [owner(), owner(), owner()]
  const ownerAddresses = owners.map((o) => o.address)
  const recipient = getAddress(hex(randomBytes(20)))
  const saltNonce = 42n

  before(async () => {
    anvil = await startAnvil()
    chain = await deploySafeContracts(anvil.url)
  })
  after(async () => {
    await anvil?.stop()
  })

  const read = <T>(functionName: string, args: readonly unknown[] = [], abi: typeof safeAbi | typeof safeFallbackAbi = safeAbi) =>
    chain.publicClient.readContract({ address: safe, abi, functionName, args } as never) as Promise<T>
  const send = async (data: Hex, to: Address = safe) => {
    const hash = await chain.walletClient.sendTransaction({ to, data })
    return chain.publicClient.waitForTransactionReceipt({ hash })
  }

  test('the address is known before deployment, agrees with the factory\'s own computation, and is where the Safe appears', async () => {
    const onChainCode = await chain.publicClient.readContract({ address: chain.proxyFactory, abi: safeProxyFactoryAbi, functionName: 'proxyCreationCode' })
    assert.equal(onChainCode, SAFE_PROXY_CREATION_CODE)
    assert.equal(artifacts.safeProxy.bytecode, SAFE_PROXY_CREATION_CODE)

    const initializer = encodeSafeSetup({ owners: ownerAddresses, threshold: 2, fallbackHandler: chain.fallbackHandler })
    safe = predictSafeAddress({ proxyFactory: chain.proxyFactory, singleton: chain.singleton, initializer, saltNonce })
    const simulated = await chain.publicClient.simulateContract({ account: chain.walletClient.account, address: chain.proxyFactory, abi: safeProxyFactoryAbi, functionName: 'createProxyWithNonce', args: [chain.singleton, initializer, saltNonce] })
    assert.equal(simulated.result, safe)
    assert.equal(await chain.publicClient.getCode({ address: safe }), undefined)

    const receipt = await send(encodeFunctionData({ abi: safeProxyFactoryAbi, functionName: 'createProxyWithNonce', args: [chain.singleton, initializer, saltNonce] }), chain.proxyFactory)
    assert.equal(receipt.status, 'success')
    assert.ok((await chain.publicClient.getCode({ address: safe }))?.length)
    assert.deepEqual(await read<Address[]>('getOwners'), ownerAddresses)
    assert.equal(await read<bigint>('getThreshold'), 2n)
    assert.equal(await read<string>('VERSION'), '1.4.1')
    // Another salt nonce or another owner set is another address.
    assert.notEqual(predictSafeAddress({ proxyFactory: chain.proxyFactory, singleton: chain.singleton, initializer, saltNonce: 43n }), safe)
  })

  test('a SafeTx hash is the Safe\'s own getTransactionHash', async () => {
    const tx = buildSafeTx({ to: recipient, value: 5n, data: '0xdeadbeef', nonce: 7n })
    const onChain = await read<Hex>('getTransactionHash', [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce])
    assert.equal(hex(hashSafeTx(tx, { chainId: anvil.chainId, safe })), onChain)
    assert.notEqual(hex(hashSafeTx(tx, { chainId: 137, safe })), onChain, 'the chain id is in the domain')
  })

  async function execute(tx: SafeTx, signers: readonly (DigestSigner & { key: Uint8Array })[], options: { ethSign?: boolean } = {}) {
    const hash = hashSafeTx(tx, { chainId: anvil.chainId, safe })
    const signatures = await Promise.all(signers.map(async (s) => {
      if (!options.ethSign) return signSafeHash(s, hash)
      const signature = await privateKeyToAccount(hex(s.key)).signMessage({ message: { raw: hash } })
      return { owner: getAddress(s.address), signature: `${signature.slice(0, 130)}${(Number.parseInt(signature.slice(130), 16) + 4).toString(16)}` as Hex }
    }))
    const collected = collectSafeSignatures(hash, signatures, await read<Address[]>('getOwners'), Number(await read<bigint>('getThreshold')))
    return send(encodeExecTransaction(tx, collected.signatures))
  }

  test('2 of 3 owners execute an ERC-20 transfer and a native transfer; signatures go in owner order whatever order they came in', async () => {
    await send(encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [safe, 1_000_000n] }), chain.token)
    await chain.walletClient.sendTransaction({ to: safe, value: parseEther('1') }).then((hash) => chain.publicClient.waitForTransactionReceipt({ hash }))

    const transfer = buildSafeTx({ to: chain.token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [recipient, 250_000n] }), nonce: await read<bigint>('nonce') })
    const sortedDescending = [owners[0]!, owners[2]!].sort((a, b) => (BigInt(a.address) > BigInt(b.address) ? -1 : 1))
    const receipt = await execute(transfer, sortedDescending)
    assert.equal(receipt.status, 'success')
    assert.equal(await chain.publicClient.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [recipient] }), 250_000n)
    assert.equal(await read<bigint>('nonce'), 1n)

    const native = buildSafeTx({ to: recipient, value: parseEther('0.25'), nonce: 1n })
    assert.equal((await execute(native, [owners[1]!, owners[2]!], { ethSign: true })).status, 'success', 'eth_sign co-signatures (v + 4) are accepted too')
    assert.equal(await chain.publicClient.getBalance({ address: recipient }), parseEther('0.25'))
  })

  test('below the threshold, a non-owner, or a signature over another transaction: refused before sending; the Safe itself agrees', async () => {
    const tx = buildSafeTx({ to: recipient, value: 1n, nonce: await read<bigint>('nonce') })
    const hash = hashSafeTx(tx, { chainId: anvil.chainId, safe })
    const one = await signSafeHash(owners[0]!, hash)
    assert.equal(await codeOf(() => collectSafeSignatures(hash, [one, one], ownerAddresses, 2)), 'COFFRE_SAFE_THRESHOLD_NOT_MET', 'one owner twice is one signature')
    const stranger = await signSafeHash(owner(), hash)
    assert.equal(await codeOf(() => collectSafeSignatures(hash, [one, stranger], ownerAddresses, 2)), 'COFFRE_SAFE_SIGNATURE_INVALID')
    const otherTx = await signSafeHash(owners[1]!, hashSafeTx({ ...tx, value: 2n }, { chainId: anvil.chainId, safe }))
    assert.equal(await codeOf(() => collectSafeSignatures(hash, [one, otherTx], ownerAddresses, 2)), 'COFFRE_SAFE_SIGNATURE_INVALID')

    // The same refusals on chain (GS020: not enough signatures; GS026: not in owner order).
    await assert.rejects(chain.publicClient.call({ account: chain.walletClient.account, to: safe, data: encodeExecTransaction(tx, one.signature) }), /GS020/)
    const two = await signSafeHash(owners[1]!, hash)
    const collected = collectSafeSignatures(hash, [one, two], ownerAddresses, 2)
    const reversed = `0x${collected.signatures.slice(132)}${collected.signatures.slice(2, 132)}` as Hex
    await assert.rejects(chain.publicClient.call({ account: chain.walletClient.account, to: safe, data: encodeExecTransaction(tx, reversed) }), /GS026/)
    await chain.publicClient.call({ account: chain.walletClient.account, to: safe, data: encodeExecTransaction(tx, collected.signatures) })
  })

  test('ERC-1271: the Safe (CompatibilityFallbackHandler) accepts 2 owners\' signatures over a hash, and refuses 1', async () => {
    const orderHash = new Uint8Array(randomBytes(32))
    const messageHash = hashSafeMessageForHash(orderHash, { chainId: anvil.chainId, safe })
    assert.equal(hex(messageHash), await read<Hex>('getMessageHash', [encodeAbiParameters([{ type: 'bytes32' }], [hex(orderHash)])], safeFallbackAbi))
    const signatures = await Promise.all([owners[2]!, owners[0]!].map((o) => signSafeHash(o, messageHash)))
    const collected = collectSafeSignatures(messageHash, signatures, ownerAddresses, 2)
    assert.equal(await read<Hex>('isValidSignature', [hex(orderHash), collected.signatures], safeFallbackAbi), ERC1271_MAGIC_VALUE)
    await assert.rejects(read('isValidSignature', [hex(orderHash), signatures[0]!.signature], safeFallbackAbi), /GS020/)
  })
})
