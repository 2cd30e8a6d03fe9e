/**
 * `vault.safe`: Safe v1.4.1 multisig wallets for a user (issue 14, src/chain/safe). Owners are the
 * user's vault EOA (Polygon key) plus co-signers' addresses. `create` computes the Safe's address
 * before deployment (CREATE2 through the proxy factory) and the deployment transaction; `propose`
 * and `sign` sign a SafeTx as EIP-712 typed data through `vault.sign.typedData` — the very
 * key-use path every signature takes, so audit and policies (verifyingContract = the Safe) see it
 * like any other typed data; `execute` checks and orders the owners' signatures and returns the
 * `execTransaction` call. Nothing here broadcasts: the caller (or the chain outbox) sends the
 * transactions it is handed, from any funded account.
 */
import { encodeFunctionData, getAddress, isAddress, type Address, type Hex } from 'viem'
import { invalidInput } from '../../errors.ts'
import { encodeExecTransaction } from '../../chain/safe/encodeExecTransaction.ts'
import { predictSafeAddress } from '../../chain/safe/predictSafeAddress.ts'
import { safeProxyFactoryAbi } from '../../chain/safe/safeAbi.ts'
import { CANONICAL_SAFE_CONTRACTS, type SafeContracts } from '../../chain/safe/safeDeployments.ts'
import { collectSafeSignatures } from '../../chain/safe/safeSignatures.ts'
import { encodeSafeSetup } from '../../chain/safe/safeSetup.ts'
import { buildSafeTx, hashSafeTx, safeTxTypes, type SafeTx } from '../../chain/safe/safeTx.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import type { SigningService } from '../signing/signingService.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'

/** A SafeTx as JSON: integers as decimal strings. */
export type SafeTxJson = {
  readonly to: string
  readonly value: string
  readonly data: Hex
  readonly operation: 0 | 1
  readonly safeTxGas: string
  readonly baseGas: string
  readonly gasPrice: string
  readonly gasToken: string
  readonly refundReceiver: string
  readonly nonce: string
}

export type CreatedSafe = {
  readonly safeAddress: Address
  readonly owners: readonly Address[]
  readonly threshold: number
  readonly saltNonce: string
  readonly contracts: SafeContracts
  readonly initializer: Hex
  /** Send this (from any funded account) to deploy the Safe at `safeAddress`. */
  readonly deployment: { readonly to: Address; readonly data: Hex }
}

export type SignedSafeTx = { readonly safe: Address; readonly chainId: number; readonly safeTx: SafeTxJson; readonly safeTxHash: Hex; readonly owner: Address; readonly signature: Hex }

export type SafeService = {
  create(ref: UserRef, input: { coSigners: readonly string[]; threshold: number; saltNonce?: string; contracts?: SafeContracts }): Promise<CreatedSafe>
  propose(ref: UserRef, input: { safe: string; chainId: number; to: string; value?: string; data?: Hex; operation?: 0 | 1; nonce: string }, options?: ActionOptions): Promise<SignedSafeTx>
  sign(ref: UserRef, input: { safe: string; chainId: number; safeTx: SafeTxJson }, options?: ActionOptions): Promise<SignedSafeTx>
  execute(input: { safe: string; chainId: number; safeTx: SafeTxJson; owners: readonly string[]; threshold: number; signatures: readonly Hex[] }): { readonly to: Address; readonly data: Hex; readonly signers: readonly Address[] }
}

const uint = (value: unknown, field: string): bigint => {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(value)) throw invalidInput(`${field} must be a decimal integer string`, { field })
  return BigInt(value)
}
const address = (value: unknown, field: string): Address => {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalidInput(`${field} must be an EVM address`, { field })
  return getAddress(value)
}
const chainIdOf = (value: unknown): number => {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalidInput('chainId must be a positive integer', { field: 'chainId' })
  return value as number
}

export const safeTxToJson = (tx: SafeTx): SafeTxJson => ({
  to: tx.to, value: String(tx.value), data: tx.data, operation: tx.operation, safeTxGas: String(tx.safeTxGas), baseGas: String(tx.baseGas),
  gasPrice: String(tx.gasPrice), gasToken: tx.gasToken, refundReceiver: tx.refundReceiver, nonce: String(tx.nonce),
})

function safeTxFromJson(json: SafeTxJson): SafeTx {
  if (json === null || typeof json !== 'object') throw invalidInput('safeTx must be an object', { field: 'safeTx' })
  const base = buildSafeTx({ to: json.to, value: uint(json.value, 'safeTx.value'), data: json.data, operation: json.operation, nonce: uint(json.nonce, 'safeTx.nonce') })
  return { ...base, safeTxGas: uint(json.safeTxGas, 'safeTx.safeTxGas'), baseGas: uint(json.baseGas, 'safeTx.baseGas'), gasPrice: uint(json.gasPrice, 'safeTx.gasPrice'), gasToken: address(json.gasToken, 'safeTx.gasToken'), refundReceiver: address(json.refundReceiver, 'safeTx.refundReceiver') }
}

export function createSafeService(ctx: VaultContext, sign: SigningService): SafeService {
  async function signTx(ref: UserRef, safe: Address, chainId: number, tx: SafeTx, options: ActionOptions): Promise<SignedSafeTx> {
    const json = safeTxToJson(tx)
    const typedData = { domain: { chainId, verifyingContract: safe }, types: { EIP712Domain: [...safeTxTypes.EIP712Domain], SafeTx: [...safeTxTypes.SafeTx] }, primaryType: 'SafeTx', message: { ...json } }
    const signed = await sign.typedData(ref, typedData, options)
    return { safe, chainId, safeTx: json, safeTxHash: `0x${Buffer.from(hashSafeTx(tx, { chainId, safe })).toString('hex')}`, owner: getAddress(signed.address), signature: signed.signature as Hex }
  }

  return {
    async create(ref, input) {
      const { wallets } = await requireUserRows(ctx, ref)
      const eoa = wallets.find((w) => w.chain === 'polygon')
      if (eoa === undefined) throw invalidInput('the user has no Polygon wallet')
      if (!Array.isArray(input?.coSigners)) throw invalidInput('coSigners must be a list of addresses', { field: 'coSigners' })
      const contracts = input.contracts ?? CANONICAL_SAFE_CONTRACTS
      const owners = [getAddress(eoa.address), ...input.coSigners.map((a, i) => address(a, `coSigners[${i}]`))]
      const saltNonce = input.saltNonce === undefined ? 0n : uint(input.saltNonce, 'saltNonce')
      const initializer = encodeSafeSetup({ owners, threshold: input.threshold, fallbackHandler: contracts.fallbackHandler })
      const safeAddress = predictSafeAddress({ proxyFactory: contracts.proxyFactory, singleton: contracts.singleton, initializer, saltNonce })
      const data = encodeFunctionData({ abi: safeProxyFactoryAbi, functionName: 'createProxyWithNonce', args: [contracts.singleton, initializer, saltNonce] })
      return { safeAddress, owners, threshold: input.threshold, saltNonce: String(saltNonce), contracts, initializer, deployment: { to: contracts.proxyFactory, data } }
    },
    async propose(ref, input, options = {}) {
      const tx = buildSafeTx({ to: input.to, value: input.value === undefined ? 0n : uint(input.value, 'value'), ...(input.data === undefined ? {} : { data: input.data }), ...(input.operation === undefined ? {} : { operation: input.operation }), nonce: uint(input.nonce, 'nonce') })
      return signTx(ref, address(input.safe, 'safe'), chainIdOf(input.chainId), tx, options)
    },
    async sign(ref, input, options = {}) {
      return signTx(ref, address(input.safe, 'safe'), chainIdOf(input.chainId), safeTxFromJson(input.safeTx), options)
    },
    execute(input) {
      const safe = address(input.safe, 'safe')
      const tx = safeTxFromJson(input.safeTx)
      const hash = hashSafeTx(tx, { chainId: chainIdOf(input.chainId), safe })
      const collected = collectSafeSignatures(hash, input.signatures, input.owners, input.threshold)
      return { to: safe, data: encodeExecTransaction(tx, collected.signatures), signers: collected.signers }
    },
  }
}
