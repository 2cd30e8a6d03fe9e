import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getContractConfig } from '@polymarket/clob-client-v2'
import { chainConfigFromOptions, parseChainConfig } from '../../src/chain/chainConfig.ts'
import { BUILT_IN_CONTRACTS, resolveContracts } from '../../src/chain/contracts.ts'
import { chainContracts } from '../../src/polymarket/contracts.ts'
import { isCoffreError } from '../../src/errors.ts'

const invalidConfig = (pattern: RegExp) => (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_INVALID_CONFIG' && pattern.test(e.message)

describe('contract table', () => {
  for (const chainId of [137, 80002] as const) {
    it(`agrees with the official client's contract config on ${chainId}`, () => {
      const official = getContractConfig(chainId)
      const ours = BUILT_IN_CONTRACTS[chainId]!
      assert.equal(ours.pUsd, official.collateral)
      assert.equal(ours.conditionalTokens, official.conditionalTokens)
      assert.equal(ours.exchangeV2, official.exchangeV2)
      assert.equal(ours.negRiskExchangeV2, official.negRiskExchangeV2)
      assert.equal(ours.negRiskAdapter, official.negRiskAdapter)
    })
  }

  it('is the table the Polymarket code reads', () => {
    assert.equal(chainContracts(137), BUILT_IN_CONTRACTS[137])
    assert.equal(chainContracts(137).collateralOnramp, '0x93070a847efEf7F70739046A929D47a521F5B8ee')
    assert.equal(chainContracts(137).usdcE, '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174')
  })

  it('takes overrides per deployment, checksummed, and refuses unknown names', () => {
    const onramp = '0x00000000000000000000000000000000000000aa'
    const resolved = resolveContracts(137, { collateralOnramp: onramp })
    assert.equal(resolved.collateralOnramp, '0x00000000000000000000000000000000000000AA')
    assert.equal(resolved.pUsd, BUILT_IN_CONTRACTS[137]!.pUsd)
    assert.throws(() => resolveContracts(137, { pusd: onramp } as never), invalidConfig(/unknown contract name pusd/))
    assert.throws(() => resolveContracts(137, { pUsd: '0x1234' }), invalidConfig(/pUsd is not/))
  })

  it('requires every contract on a chain without a built-in table', () => {
    assert.throws(() => resolveContracts(31337, { pUsd: '0x00000000000000000000000000000000000000aa' }), invalidConfig(/chain 31337 has no built-in contracts: configure usdcE/))
  })
})

describe('chain configuration', () => {
  it('splits comma-separated RPC lists, keeps their order and applies defaults', () => {
    const config = parseChainConfig({ polygon: { rpcUrls: ' https://a.example/rpc , http://127.0.0.1:8545' }, solana: { rpcUrls: ['https://s.example'] } })
    assert.deepEqual(config.polygon?.rpcUrls, ['https://a.example/rpc', 'http://127.0.0.1:8545'])
    assert.equal(config.polygon?.chainId, 137)
    assert.equal(config.polygon?.confirmations, 32)
    assert.equal(config.polygon?.maxFeePerGas, 2_000_000_000_000n)
    assert.equal(config.solana?.commitment, 'finalized')
    assert.equal(config.solana?.usdcMint, 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.polygon) && Object.isFrozen(config.polygon?.rpcUrls))
  })

  it('refuses empty, duplicate and non-http URLs and unknown fields', () => {
    assert.throws(() => parseChainConfig({ polygon: { rpcUrls: ' , ' } }), invalidConfig(/polygon.rpcUrls: at least one RPC URL/))
    assert.throws(() => parseChainConfig({ polygon: { rpcUrls: 'http://a.example,http://a.example' } }), invalidConfig(/duplicate/))
    assert.throws(() => parseChainConfig({ solana: { rpcUrls: 'ws://a.example' } }), invalidConfig(/http\(s\) URL/))
    assert.throws(() => parseChainConfig({ polygon: { rpcUrls: 'http://a.example', rpcUrl: 'x' } }), invalidConfig(/polygon/))
    assert.throws(() => parseChainConfig({ polygon: { rpcUrls: 'http://a.example', maxFeePerGas: '-1' } }), invalidConfig(/maxFeePerGas/))
  })

  it('maps the CLI flags and environment: flags win, a chain without URLs is left out', () => {
    const env = { COFFRE_POLYGON_RPC_URL: 'http://env.example/a,http://env.example/b', COFFRE_SOLANA_RPC_URL: 'http://env.example/s' }
    const fromEnv = chainConfigFromOptions({}, env)
    assert.deepEqual(fromEnv.polygon?.rpcUrls, ['http://env.example/a', 'http://env.example/b'])
    assert.deepEqual(fromEnv.solana?.rpcUrls, ['http://env.example/s'])
    const fromFlag = chainConfigFromOptions({ polygonRpcUrl: 'http://flag.example' }, env, { polygon: { chainId: 80002 } })
    assert.deepEqual(fromFlag.polygon?.rpcUrls, ['http://flag.example'])
    assert.equal(fromFlag.polygon?.contracts.conditionalTokens, '0x69308FB512518e39F9b16112fA8d994F4e2Bf8bB')
    assert.equal(chainConfigFromOptions({}, {}).polygon, undefined)
  })
})
