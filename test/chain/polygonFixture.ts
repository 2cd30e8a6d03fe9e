/**
 * A local Polygon for tests: a real anvil with the test contracts deployed (pUSD and USDC.e
 * stand-ins with 6 decimals, the ERC-1155 Conditional Tokens stand-in, the onramp, Multicall3) and
 * random addresses standing in for the exchanges and the neg-risk adapter; plus the parsed
 * PolygonChainConfig pointing at them, and viem test/wallet clients for setting the scene.
 */
import { createTestClient, createWalletClient, http, publicActions, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { parseChainConfig, type PolygonChainConfig } from '../../src/chain/chainConfig.ts'
import { createPolygonClient, type PolygonChain } from '../../src/chain/rpc/evmClient.ts'
import { startAnvil, type Anvil, type AnvilOptions } from '../support/anvil.ts'
import { compiledContract, type ContractName } from './compileContracts.ts'

/** anvil's first default account (its well-known test mnemonic), funded with 10,000 ETH. */
export const ANVIL_FUNDER_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

export type PolygonFixture = Readonly<{
  anvil: Anvil
  config: PolygonChainConfig
  polygon: PolygonChain
  funder: PrivateKeyAccount
  /** anvil cheats (mine, snapshot, reorg, setBalance) plus public reads. */
  test: ReturnType<typeof makeTestClient>
  /** Sends from the funder. */
  wallet: ReturnType<typeof makeWallet>
  walletFor(account: PrivateKeyAccount): ReturnType<typeof makeWallet>
  deploy(name: ContractName, args?: readonly unknown[]): Promise<Address>
  stop(): Promise<void>
}>

function makeTestClient(url: string) {
  return createTestClient({ mode: 'anvil', transport: http(url) }).extend(publicActions)
}

function makeWallet(url: string, account: PrivateKeyAccount, chainId: number) {
  const chain = { id: chainId, name: 'anvil', nativeCurrency: { name: 'ETH', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } } as const
  return createWalletClient({ account, chain, transport: http(url) }).extend(publicActions)
}

export async function startPolygonFixture(options: AnvilOptions & { confirmations?: number; extraRpcUrls?: readonly string[] } = {}): Promise<PolygonFixture> {
  const anvil = await startAnvil(options)
  try {
    const funder = privateKeyToAccount(ANVIL_FUNDER_KEY)
    const test = makeTestClient(anvil.url)
    const wallet = makeWallet(anvil.url, funder, anvil.chainId)
    const deploy = async (name: ContractName, args: readonly unknown[] = []): Promise<Address> => {
      const { abi, bytecode } = compiledContract(name)
      const hash = await wallet.deployContract({ abi, bytecode, args: args as unknown[] })
      if (options.automine === false) await test.mine({ blocks: 1 })
      const receipt = await wallet.waitForTransactionReceipt({ hash, pollingInterval: 20 })
      if (receipt.contractAddress == null) throw new Error(`deploying ${name} failed`)
      return receipt.contractAddress
    }
    const pUsd = await deploy('TestToken', ['Polymarket USD', 'pUSD', 6])
    const usdcE = await deploy('TestToken', ['USD Coin (PoS)', 'USDC.e', 6])
    const conditionalTokens = await deploy('TestConditionalTokens')
    const collateralOnramp = await deploy('TestCollateralOnramp', [pUsd, usdcE])
    const multicall3 = await deploy('TestMulticall3')
    const spender = () => privateKeyToAccount(generatePrivateKey()).address
    const config = parseChainConfig({
      polygon: {
        rpcUrls: [...(options.extraRpcUrls ?? []), anvil.url],
        chainId: anvil.chainId,
        confirmations: options.confirmations ?? 2,
        contracts: {
          pUsd,
          usdcE,
          conditionalTokens,
          collateralOnramp,
          multicall3,
          exchangeV2: spender(),
          negRiskExchangeV2: spender(),
          negRiskAdapter: spender(),
          safeFactory: spender(),
        },
      },
    }).polygon!
    const polygon = createPolygonClient(config)
    return Object.freeze({
      anvil,
      config,
      polygon,
      funder,
      test,
      wallet,
      walletFor: (account: PrivateKeyAccount) => makeWallet(anvil.url, account, anvil.chainId),
      deploy,
      stop: () => anvil.stop(),
    })
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

