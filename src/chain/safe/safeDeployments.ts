/**
 * Safe v1.4.1: the canonical addresses (the same on every chain Safe deployed through its
 * singleton factory, Polygon included; from safe-global/safe-deployments) and the SafeProxy
 * creation code its SafeProxyFactory deploys (`proxyCreationCode()`, equal to the
 * @safe-global/safe-contracts@1.4.1 SafeProxy artifact — tests check both on anvil).
 */
import type { Address, Hex } from 'viem'

export type SafeContracts = {
  readonly proxyFactory: Address
  /** The singleton (master copy) proxies delegate to: Safe or SafeL2. */
  readonly singleton: Address
  readonly fallbackHandler: Address
}

export const SAFE_VERSION = '1.4.1'

export const SAFE_V141_CANONICAL = Object.freeze({
  proxyFactory: '0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67',
  safe: '0x41675C099F32341bf84BFc5382aF534df5C7461a',
  safeL2: '0x29fcB43b46531BcA003ddC8FCB67FFE91900C762',
  fallbackHandler: '0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99',
  multiSend: '0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526',
  multiSendCallOnly: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
} as const satisfies Record<string, Address>)

/** Polygon and most L2s index Safes through SafeL2 (it emits events per execution). */
export const CANONICAL_SAFE_CONTRACTS: SafeContracts = Object.freeze({
  proxyFactory: SAFE_V141_CANONICAL.proxyFactory,
  singleton: SAFE_V141_CANONICAL.safeL2,
  fallbackHandler: SAFE_V141_CANONICAL.fallbackHandler,
})

export const SAFE_PROXY_CREATION_CODE: Hex =
  '0x608060405234801561001057600080fd5b506040516101e63803806101e68339818101604052602081101561003357600080fd5b8101908080519060200190929190505050600073ffffffffffffffffffffffffffffffffffffffff168173ffffffffffffffffffffffffffffffffffffffff1614156100ca576040517f08c379a00000000000000000000000000000000000000000000000000000000081526004018080602001828103825260228152602001806101c46022913960400191505060405180910390fd5b806000806101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff1602179055505060ab806101196000396000f3fe608060405273ffffffffffffffffffffffffffffffffffffffff600054167fa619486e0000000000000000000000000000000000000000000000000000000060003514156050578060005260206000f35b3660008037600080366000845af43d6000803e60008114156070573d6000fd5b3d6000f3fea264697066735822122003d1488ee65e08fa41e58e888a9865554c535f2c77126a82cb4c0f917f31441364736f6c63430007060033496e76616c69642073696e676c65746f6e20616464726573732070726f7669646564'
