import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { keccak256, parseTransaction, recoverAddress, recoverMessageAddress, recoverTransactionAddress, recoverTypedDataAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { Wallet } from 'ethers'
import { secp256k1 } from '../../../src/crypto/secp256k1.ts'
import { isCoffreError } from '../../../src/errors.ts'
import { signDigest, signDigestHex } from '../../../src/chain/evm/signDigest.ts'
import { signEvmTransaction } from '../../../src/chain/evm/signEvmTransaction.ts'
import { signPersonalMessage } from '../../../src/chain/evm/signPersonalMessage.ts'
import { signTypedData } from '../../../src/chain/evm/signTypedData.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}` as const
const validKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.privateKeyVerify(k))
const fixedKey = Uint8Array.from(Buffer.from('1ab42cc412b618bdea3a599e3c9bae199ebf030895b039e9db1e30dafb12b727', 'hex'))

const signingFailed = (pattern: RegExp) => (e: unknown) =>
  isCoffreError(e) && e.code === 'COFFRE_SIGNING_FAILED' && pattern.test(e.message)

// Polymarket's CLOB L1 auth message (DESIGN.md), a realistic EIP-712 payload.
const clobAuth = {
  domain: { name: 'ClobAuthDomain', version: '1', chainId: 137 },
  types: {
    ClobAuth: [
      { name: 'address', type: 'address' },
      { name: 'timestamp', type: 'string' },
      { name: 'nonce', type: 'uint256' },
      { name: 'message', type: 'string' },
    ],
  },
  primaryType: 'ClobAuth',
  message: {
    address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94',
    timestamp: '1700000000',
    nonce: 0n,
    message: 'This message attests that I control the given wallet',
  },
} as const

describe('signDigest (libsecp256k1, RFC 6979)', () => {
  it('is deterministic, low-S, and recovers to the signer', async () => {
    const digest = keccak256(new TextEncoder().encode('coffre'), 'bytes')
    const a = signDigest(fixedKey, digest)
    assert.deepEqual(signDigest(fixedKey, digest), a)
    assert.ok(BigInt(a.s) <= 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n)
    const recovered = await recoverAddress({ hash: hex(digest), signature: signDigestHex(fixedKey, digest) })
    assert.equal(recovered, evmAddressFromPrivateKey(fixedKey))
  })
  it('rejects bad keys and digests before signing', () => {
    const digest = new Uint8Array(32)
    assert.throws(() => signDigest(new Uint8Array(32), digest), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => signDigest(fixedKey, new Uint8Array(31)), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
    assert.throws(() => signDigest('key' as unknown as Uint8Array, digest), TypeError)
  })
})

describe('signPersonalMessage (EIP-191) equals viem and ethers byte for byte', () => {
  it('for random keys and messages (strings and bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(validKey, fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 200 })), async (key, message) => {
        const ours = signPersonalMessage(key, message)
        const account = privateKeyToAccount(hex(key))
        const viemSig = await account.signMessage({ message: typeof message === 'string' ? message : { raw: message } })
        assert.equal(ours, viemSig)
        assert.equal(await recoverMessageAddress({ message: typeof message === 'string' ? message : { raw: message }, signature: ours }), account.address)
      }),
      { numRuns: 200 },
    )
  })
  it('matches ethers for a text message', async () => {
    assert.equal(signPersonalMessage(fixedKey, 'hello coffre'), await new Wallet(hex(fixedKey)).signMessage('hello coffre'))
  })
  it('rejects a non-string, non-bytes message', () => {
    assert.throws(() => signPersonalMessage(fixedKey, 5 as unknown as string), TypeError)
  })
})

describe('signTypedData (EIP-712)', () => {
  it('equals viem for ClobAuth, including JSON-ish input (uint and chainId as decimal strings)', async () => {
    await fc.assert(
      fc.asyncProperty(validKey, fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), async (key, nonce) => {
        const account = privateKeyToAccount(hex(key))
        const typed = { ...clobAuth, message: { ...clobAuth.message, nonce } }
        const expected = await account.signTypedData(typed)
        assert.equal(signTypedData(key, typed), expected)
        const jsonish = JSON.parse(JSON.stringify({ ...typed, domain: { ...typed.domain, chainId: '137' }, message: { ...typed.message, nonce: nonce.toString() } }))
        assert.equal(signTypedData(key, jsonish), expected)
        assert.equal(await recoverTypedDataAddress({ ...typed, signature: expected }), account.address)
      }),
      { numRuns: 100 },
    )
  })
  it('equals viem for a nested struct with arrays and an explicit EIP712Domain', async () => {
    const typed = {
      domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        Person: [
          { name: 'name', type: 'string' },
          { name: 'wallets', type: 'address[]' },
        ],
        Mail: [
          { name: 'from', type: 'Person' },
          { name: 'to', type: 'Person[]' },
          { name: 'contents', type: 'string' },
          { name: 'salt', type: 'bytes32' },
        ],
      },
      primaryType: 'Mail',
      message: {
        from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826'] },
        to: [{ name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB', '0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57'] }],
        contents: 'Hello, Bob!',
        salt: `0x${'ab'.repeat(32)}`,
      },
    } as const
    assert.equal(signTypedData(fixedKey, typed), await privateKeyToAccount(hex(fixedKey)).signTypedData(typed as never))
  })
  it('turns malformed typed data into COFFRE_SIGNING_FAILED', () => {
    const bad: [unknown, RegExp][] = [
      [null, /expected an object/],
      [{ ...clobAuth, primaryType: 'Nope' }, /not defined in types/],
      [{ ...clobAuth, types: 'x' }, /types must be an object/],
      [{ ...clobAuth, message: { ...clobAuth.message, address: '0x1234' } }, /invalid typed data/],
      [{ ...clobAuth, message: { ...clobAuth.message, nonce: 'twelve' } }, /invalid typed data/],
      [{ ...clobAuth, message: { ...clobAuth.message, nonce: '-1' } }, /invalid typed data/],
      [{ ...clobAuth, types: { ClobAuth: [{ name: 'x', type: 'uint7' }] }, message: { x: 1 } }, /invalid typed data/],
    ]
    for (const [input, pattern] of bad) {
      assert.throws(() => signTypedData(fixedKey, input as never), signingFailed(pattern), JSON.stringify(input, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
    }
  })
})

describe('signEvmTransaction (EIP-1559)', () => {
  const request = {
    chainId: 137,
    nonce: 7,
    to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    value: '1000000000000000000',
    data: '0xdeadbeef',
    gas: '21000',
    maxFeePerGas: '30000000000',
    maxPriorityFeePerGas: 1500000000,
    accessList: [{ address: '0x0000000000000000000000000000000000000001', storageKeys: [`0x${'00'.repeat(31)}01`] }],
  }
  it('equals viem account.signTransaction, and its hash is keccak256 of the signed bytes', async () => {
    await fc.assert(
      fc.asyncProperty(validKey, fc.nat({ max: 1_000_000 }), fc.bigInt({ min: 0n, max: 10n ** 24n }), async (key, nonce, value) => {
        const ours = signEvmTransaction(key, { ...request, nonce, value: value.toString() })
        const account = privateKeyToAccount(hex(key))
        const expected = await account.signTransaction({
          type: 'eip1559',
          chainId: 137,
          nonce,
          to: request.to as `0x${string}`,
          value,
          data: '0xdeadbeef',
          gas: 21000n,
          maxFeePerGas: 30000000000n,
          maxPriorityFeePerGas: 1500000000n,
          accessList: request.accessList as never,
        })
        assert.equal(ours.serialized, expected)
        assert.equal(ours.hash, keccak256(expected))
        assert.equal(await recoverTransactionAddress({ serializedTransaction: ours.serialized as never }), account.address)
      }),
      { numRuns: 60 },
    )
  })
  it('accepts hex quantities, bigint, no `to` (contract creation) and defaults', () => {
    const { serialized } = signEvmTransaction(fixedKey, { chainId: '0x89', nonce: 0, gas: 100000n, maxFeePerGas: '0x1', maxPriorityFeePerGas: '1', data: '0x6000' })
    const parsed = parseTransaction(serialized)
    assert.equal(parsed.chainId, 137)
    assert.equal(parsed.to, undefined)
    assert.equal(parsed.value, undefined)
    assert.equal(parsed.data, '0x6000')
  })
  it('turns malformed requests into COFFRE_SIGNING_FAILED naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ ...request, chainId: 0 }, /chainId/],
      [{ ...request, nonce: -1 }, /nonce/],
      [{ ...request, value: '1.5' }, /value/],
      [{ ...request, value: 2 ** 60 }, /value.*safe integers/],
      [{ ...request, gas: (1n << 256n).toString() }, /gas/],
      [{ ...request, to: '0x7099' }, /to/],
      [{ ...request, to: '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' }, /to/],
      [{ ...request, data: '0xabc' }, /data/],
      [{ ...request, type: 'legacy' }, /type/],
      [{ ...request, extra: 1 }, /extra|Unrecognized/],
      [{ ...request, maxPriorityFeePerGas: '40000000000' }, /invalid transaction/],
      ['not an object', /invalid transaction/],
    ]
    for (const [input, pattern] of bad) assert.throws(() => signEvmTransaction(fixedKey, input), signingFailed(pattern), JSON.stringify(input))
    assert.throws(() => signEvmTransaction(new Uint8Array(32), request), (e) => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT')
  })
})
