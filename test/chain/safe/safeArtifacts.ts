/**
 * Safe v1.4.1 deployed on a test chain from the official build artifacts of npm
 * @safe-global/safe-contracts@1.4.1: the Safe singleton, SafeProxyFactory,
 * CompatibilityFallbackHandler, and the package's OpenZeppelin test ERC-20 (mints to the deployer).
 */
import { createRequire } from 'node:module'
import { createPublicClient, createWalletClient, http, type Abi, type Address, type Hex, type PublicClient, type WalletClient, type Account, type Chain, type Transport } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

const require = createRequire(import.meta.url)
const artifact = (path: string) => require(`@safe-global/safe-contracts/build/artifacts/contracts/${path}`) as { abi: Abi; bytecode: Hex }

export const artifacts = {
  safe: artifact('Safe.sol/Safe.json'),
  proxyFactory: artifact('proxies/SafeProxyFactory.sol/SafeProxyFactory.json'),
  safeProxy: artifact('proxies/SafeProxy.sol/SafeProxy.json'),
  fallbackHandler: artifact('handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json'),
  erc20: artifact('test/ERC20Token.sol/ERC20Token.json'),
}

/** anvil's first default account (funded with 10,000 ETH). */
export const ANVIL_DEPLOYER_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

export type SafeChain = {
  readonly publicClient: PublicClient
  readonly walletClient: WalletClient<Transport, Chain, Account>
  readonly singleton: Address
  readonly proxyFactory: Address
  readonly fallbackHandler: Address
  readonly token: Address
}

export async function deploySafeContracts(url: string): Promise<SafeChain> {
  const chain = { ...foundry, rpcUrls: { default: { http: [url] } } }
  const publicClient = createPublicClient({ chain, transport: http(url) }) as PublicClient
  const walletClient = createWalletClient({ chain, transport: http(url), account: privateKeyToAccount(ANVIL_DEPLOYER_KEY) })
  const deploy = async (a: { abi: Abi; bytecode: Hex }): Promise<Address> => {
    const hash = await walletClient.deployContract({ abi: a.abi, bytecode: a.bytecode, args: [] })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success' || receipt.contractAddress == null) throw new Error('deployment failed')
    return receipt.contractAddress
  }
  const [singleton, proxyFactory, fallbackHandler, token] = [await deploy(artifacts.safe), await deploy(artifacts.proxyFactory), await deploy(artifacts.fallbackHandler), await deploy(artifacts.erc20)]
  return { publicClient, walletClient, singleton, proxyFactory, fallbackHandler, token }
}
