/** Decoders against the libraries they must agree with (viem's ABI decoder, @solana/kit, web3.js). */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { getSetAuthorityInstruction, getTransferCheckedInstruction, AuthorityType } from '@solana-program/token'
import { address } from '@solana/kit'
import { decodeFunctionData, erc20Abi, parseAbi, type Hex } from 'viem'
import { decodeEvmTransaction } from '../../src/policy/decode/evmTransaction.ts'
import { looksLikeSolanaTransactionMessage } from '../../src/policy/decode/solanaMessageGuard.ts'
import { decodeSolanaTransaction } from '../../src/policy/decode/solanaTransaction.ts'
import { decodeApprovalForAll, decodeErc20Call } from '../../src/policy/decode/tokenCall.ts'
import { decodeTypedData } from '../../src/policy/decode/typedData.ts'
import { Undecodable } from '../../src/policy/decode/undecodable.ts'
import { kitTransaction, kitTransferMessage, SOLANA_ATTACKER, SOLANA_USER, web3LegacyTransferMessage, web3V0TransferMessage } from './solanaBuilders.ts'

const abi = [...erc20Abi, ...parseAbi(['function increaseAllowance(address spender, uint256 addedValue)', 'function setApprovalForAll(address operator, bool approved)'])]
const TOKEN = '0xc011a7e12a19f7b1f670d46f03b03f3342e82dfb'
const hex = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength, maxLength })

describe('token calls', () => {
  test('the in-place word reader agrees with viem decodeFunctionData on random calldata', () => {
    const selector = fc.constantFrom('a9059cbb', '23b872dd', '095ea7b3', '39509351', 'a22cb465')
    const word = fc.oneof(hex(64, 64), fc.bigInt({ min: 0n, max: 3n }).map((n) => n.toString(16).padStart(64, '0')), hex(40, 40).map((h) => h.padStart(64, '0')))
    const calldata = fc.tuple(selector, fc.array(word, { maxLength: 4 }), hex(0, 6).filter((h) => h.length % 2 === 0)).map(([s, words, tail]) => `0x${s}${words.join('')}${tail}`.toLowerCase())
    fc.assert(
      fc.property(calldata, (data) => {
        const tx = decodeEvmTransaction({ chainId: 137, to: TOKEN, data })
        let viem: { functionName: string; args: readonly unknown[] } | undefined
        try {
          viem = decodeFunctionData({ abi, data: data as Hex }) as unknown as { functionName: string; args: readonly unknown[] }
        } catch {
          viem = undefined
        }
        let ours: unknown
        try {
          ours = tx.selector === '0xa22cb465' ? decodeApprovalForAll(tx) : decodeErc20Call(tx)
        } catch (error) {
          assert.ok(error instanceof Undecodable)
          assert.equal(viem, undefined, `viem decodes ${data} but Coffre does not`)
          return
        }
        assert.ok(viem !== undefined, `Coffre decodes ${data} but viem does not`)
        const args = viem.args.map((a) => (typeof a === 'string' ? a.toLowerCase() : a))
        const expected = viem.functionName === 'setApprovalForAll' ? { token: TOKEN, operator: args[0], approved: args[1] }
          : viem.functionName === 'transferFrom' ? { function: 'transferFrom', token: TOKEN, from: args[0], recipient: args[1], amount: args[2], unlimited: false }
          : viem.functionName === 'transfer' ? { function: 'transfer', token: TOKEN, recipient: args[0], amount: args[1], unlimited: false }
          : { function: viem.functionName, token: TOKEN, spender: args[0], amount: args[1], unlimited: (args[1] as bigint) >= 1n << 255n }
        assert.deepEqual(ours, expected)
      }),
      { numRuns: 5000 },
    )
  })

  test('transaction fields are read with the signer grammar; anything else is Undecodable', () => {
    assert.deepEqual(decodeEvmTransaction({ chainId: '0x89', to: null, value: '0x10' }), { chainId: 137, to: null, value: 16n, data: '0x', selector: '0x' })
    for (const bad of [{ chainId: '01' }, { chainId: 1, value: '-1' }, { chainId: 1, data: '0x1' }, { chainId: 1, to: '0x12' }, { chainId: 1, input: '0x' }, null, 'tx']) {
      assert.throws(() => decodeEvmTransaction(bad), Undecodable)
    }
  })
})

describe('typed data', () => {
  test('only the domain fields the digest covers are seen', () => {
    const types = { EIP712Domain: [{ name: 'name', type: 'string' }], Mail: [{ name: 'to', type: 'address' }] }
    const view = decodeTypedData({ domain: { name: 'App', chainId: 137, verifyingContract: TOKEN }, types, primaryType: 'Mail', message: {} })
    assert.deepEqual(view.domain, { name: 'App' })
    const implied = decodeTypedData({ domain: { name: 'App', chainId: '137', verifyingContract: null }, types: { Mail: types.Mail }, primaryType: 'Mail', message: {} })
    assert.deepEqual(implied.domain, { name: 'App', chainId: 137n })
    const oddType = decodeTypedData({ domain: { chainId: '137' }, types: { EIP712Domain: [{ name: 'chainId', type: 'string' }], Mail: types.Mail }, primaryType: 'Mail', message: {} })
    assert.deepEqual(oddType.domain, {})
  })
})

describe('Solana', () => {
  test('transfer messages built by @solana/kit and web3.js are recognised; ordinary text and off-chain messages are not', () => {
    for (const bytes of [kitTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1n, 'legacy'), kitTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1n, 0), web3LegacyTransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1), web3V0TransferMessage(SOLANA_USER, SOLANA_ATTACKER, 1)]) {
      assert.equal(looksLikeSolanaTransactionMessage(bytes), true)
      assert.equal(looksLikeSolanaTransactionMessage(new Uint8Array([...bytes, 1, 2, 3])), true)
    }
    const encoder = new TextEncoder()
    for (const text of ['Sign in to example.com', 'This message attests that I control the given wallet', '{"action":"login","nonce":42}', '\u00ffsolana offchain', 'héllo wörld 👋']) assert.equal(looksLikeSolanaTransactionMessage(encoder.encode(text)), false, text)
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => !looksLikeSolanaTransactionMessage(encoder.encode(text))), { numRuns: 3000 })
  })

  test('transferChecked names mint, destination and amount; SetAuthority is an unlimited grant', () => {
    const mint = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
    const wire = kitTransaction(SOLANA_USER, (signer) => [
      getTransferCheckedInstruction({ source: address(SOLANA_ATTACKER), mint: address(mint), destination: address(SOLANA_ATTACKER), authority: signer, amount: 7n, decimals: 6 }),
      getSetAuthorityInstruction({ owned: address(SOLANA_ATTACKER), owner: signer, authorityType: AuthorityType.AccountOwner, newAuthority: address(SOLANA_ATTACKER) }),
    ], 'legacy')
    const view = decodeSolanaTransaction(wire)
    assert.equal(view.feePayer, SOLANA_USER)
    assert.deepEqual(view.programs, ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'])
    assert.deepEqual(view.instructions.map((ix) => ix.kind), ['token.transferChecked', 'token.setAuthority'])
    assert.deepEqual(view.instructions[0]!.transfers, [{ asset: mint, destination: SOLANA_ATTACKER, amount: 7n }])
    assert.deepEqual(view.instructions[1]!.approvals, [{ delegate: SOLANA_ATTACKER, amount: undefined, unlimited: true }])
    assert.throws(() => decodeSolanaTransaction(new Uint8Array([...wire, 0])), Undecodable)
  })
})
