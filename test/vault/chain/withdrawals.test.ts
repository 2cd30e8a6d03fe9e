/**
 * Withdrawals on real chains and both engines: pUSD and POL on anvil, SOL and SPL USDC on
 * LiteSVM; over HTTP with Idempotency-Key (a retry never sends twice), through the vault with a
 * request id under concurrency, and through `coffre withdraw`. Tracked to confirmation with
 * withdrawal.sent / withdrawal.confirmed events; a withdrawal the chain would refuse is failed
 * with nothing broadcast; each signature is an audited key use after one authorisation.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { address, generateKeyPairSigner } from '@solana/kit'
import { parseEther, type Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { contextOf } from '../../../src/vault/internals.ts'
import { compiledContract } from '../../chain/compileContracts.ts'
import { startPolygonFixture, type PolygonFixture } from '../../chain/polygonFixture.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../../chain/solanaFixture.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES } from '../../support/engines.ts'
import { startHarness, type Harness } from '../../http/httpHarness.ts'
import type { Withdrawal } from '../../../src/vault/chain/withdrawalProgress.ts'

const tokenAbi = compiledContract('TestToken').abi
const erc20BalanceOf = [{ type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'a', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] }] as const

for (const engine of ENGINES) {
  describe(`withdrawals (${engine})`, () => {
    let polygon: PolygonFixture
    let solana: SolanaFixture
    let h: Harness
    let user: { id: string; polygonAddress: Address; solanaAddress: string; telegramUserId: number }
    const pUsdOf = (owner: Address) => polygon.test.readContract({ address: polygon.config.contracts.pUsd, abi: erc20BalanceOf, functionName: 'balanceOf', args: [owner] })
    const settle = async (ids: string[], pauseMs = 0): Promise<Withdrawal[]> => {
      for (let round = 0; round < 30; round++) {
        const all = await Promise.all(ids.map((id) => h.test.vault.chain.withdrawals.get(id)))
        if (all.every((w) => w.state === 'confirmed' || w.state === 'failed')) return all
        await polygon.test.mine({ blocks: 1 })
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
        await h.test.vault.chain.withdrawals.processDue({ resubmitAfterMs: 0 })
      }
      throw new Error('withdrawals did not settle')
    }
    const events = async (withdrawalId: string) =>
      (await h.test.vault.chain.webhooks.list({ limit: 1000 })).filter((e) => (e.data as { withdrawalId?: string }).withdrawalId === withdrawalId).map((e) => e.type)

    before(async () => {
      polygon = await startPolygonFixture({ confirmations: 2 })
      solana = await startSolanaFixture()
      h = await startHarness({}, { engine, config: { chain: { polygon: polygon.config, solana: solana.config }, webhooks: [{ url: 'http://127.0.0.1:9/bot', secret: new Uint8Array(32).fill(7) }] }, vaultOptions: { chainTuning: { pollMs: 0, stuckAfterMs: 60_000 } } })
      const created = (await h.test.vault.users.ensure({ telegramUserId: 501, username: null })).user
      user = { id: created.id, polygonAddress: created.polygonAddress as Address, solanaAddress: created.solanaAddress, telegramUserId: 501 }
      await polygon.test.setBalance({ address: user.polygonAddress, value: parseEther('5') })
      await polygon.wallet.writeContract({ address: polygon.config.contracts.pUsd, abi: tokenAbi, functionName: 'mint', args: [user.polygonAddress, 100_000_000n] })
      solana.rpcServer.ledger.airdrop(address(user.solanaAddress), 3n * LAMPORTS_PER_SOL)
      await solana.mintUsdc(address(user.solanaAddress), 50_000_000n)
    })
    after(async () => {
      await h?.close()
      await solana?.stop()
      await polygon?.stop()
    })

    it('a withdrawal the caller\'s policy denies is 403 COFFRE_POLICY_DENIED: nothing stored, signed or broadcast', async () => {
      const allowed = privateKeyToAccount(generatePrivateKey()).address
      const attacker = privateKeyToAccount(generatePrivateKey()).address
      await h.test.vault.policies.create({
        name: `pol-only-${engine}`,
        document: { rules: [{ id: 'pol-to-allowed', action: 'allow', operation: 'chain.withdrawal', conditions: [{ type: 'withdrawal', asset: ['native'], to: { in: [allowed.toLowerCase()] } }] }] },
      })
      const { token } = await h.test.vault.tokens.create({ name: `bot-${engine}`, scopes: ['sign'], policy: `pol-only-${engine}` })
      const post = (payload: object, key: string) =>
        h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/withdrawals`, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, payload })
      const nonceBefore = await polygon.test.getTransactionCount({ address: user.polygonAddress })
      const pUsdBefore = await pUsdOf(user.polygonAddress)
      for (const [payload, key] of [
        [{ chain: 'polygon', asset: 'pUSD', amount: '1000000', to: allowed }, 'deny-asset'],
        [{ chain: 'polygon', asset: 'POL', amount: '1000', to: attacker }, 'deny-recipient'],
      ] as const) {
        const denied = await post(payload, key)
        assert.equal(denied.statusCode, 403, denied.body)
        assert.equal(denied.json().error.code, 'COFFRE_POLICY_DENIED')
      }
      const db = contextOf(h.test.vault).store.db
      assert.equal((await db.selectFrom('chain_withdrawals').select('id').where('to_address', '=', attacker).execute()).length, 0, 'nothing stored')
      await polygon.test.mine({ blocks: 1 })
      assert.equal(await polygon.test.getTransactionCount({ address: user.polygonAddress }), nonceBefore, 'nothing broadcast')
      assert.equal(await pUsdOf(user.polygonAddress), pUsdBefore)
      const denials = await db.selectFrom('audit_log').select('details').where('action', '=', 'policy.deny').where('user_id', '=', user.id).execute()
      assert.ok(denials.filter((d) => String(d.details).includes('chain.withdrawal')).length >= 2, 'each denial is audited with its operation')
      const ok = await post({ chain: 'polygon', asset: 'POL', amount: '1000', to: allowed }, 'allow-pol')
      assert.equal(ok.statusCode, 202, ok.body)
      await settle([ok.json().id])
    })

    it('POST /v1/users/{id}/withdrawals sends pUSD once per Idempotency-Key and tracks it to confirmation', async () => {
      const to = privateKeyToAccount(generatePrivateKey()).address
      const post = (key: string) =>
        h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/withdrawals`, headers: { ...h.auth('sign'), 'idempotency-key': key }, payload: { chain: 'polygon', asset: 'pUSD', amount: '25000000', to } })
      const first = await post('withdraw-1')
      assert.equal(first.statusCode, 202, first.body)
      const created = first.json() as Withdrawal
      assert.equal(created.state, 'sent')
      assert.match(created.txRef ?? '', /^0x[0-9a-f]{64}$/)
      const again = await post('withdraw-1')
      assert.equal(again.json().id, created.id, 'the retry is the same withdrawal')
      const [done] = await settle([created.id])
      assert.equal(done?.state, 'confirmed')
      assert.equal(await pUsdOf(to), 25_000_000n, 'received exactly once')
      assert.deepEqual(await events(created.id), ['withdrawal.sent', 'withdrawal.confirmed'])
      const read = await h.app.inject({ method: 'GET', url: `/v1/withdrawals/${created.id}`, headers: h.auth('users:read') })
      assert.equal(read.statusCode, 200)
      assert.equal(read.json().state, 'confirmed')
      const db = contextOf(h.test.vault).store.db
      const audit = await db.selectFrom('audit_log').select(['action', 'details']).where('user_id', '=', user.id).execute()
      assert.ok(audit.some((a) => a.action === 'policy.decision' && String(a.details).includes('chain.withdrawal')), 'authorised once, audited')
      assert.ok(audit.some((a) => a.action === 'key.use' && String(a.details).includes('chain.send')), 'signed through the audited key use')
    })

    it('one request id under concurrency is one withdrawal and one transaction', async () => {
      const to = privateKeyToAccount(generatePrivateKey()).address
      const nonceBefore = await polygon.test.getTransactionCount({ address: user.polygonAddress })
      const results = await Promise.allSettled(
        [0, 1, 2].map(() => h.test.vault.chain.withdrawals.create({ id: user.id }, { chain: 'polygon', asset: 'POL', amount: '1000', to }, { requestId: 'same-request' })),
      )
      const ids = new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])))
      assert.equal(ids.size, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value.state))))
      await settle([...ids])
      assert.equal(await polygon.test.getBalance({ address: to }), 1000n)
      assert.equal(await polygon.test.getTransactionCount({ address: user.polygonAddress }), nonceBefore + 1, 'one nonce used')
      await assert.rejects(
        h.test.vault.chain.withdrawals.create({ id: user.id }, { chain: 'polygon', asset: 'POL', amount: '2000', to }, { requestId: 'same-request' }),
        (e: unknown) => (e as { code?: string }).code === 'COFFRE_IDEMPOTENCY_MISMATCH',
      )
    })

    it('a withdrawal the chain would refuse fails, with nothing broadcast', async () => {
      const to = privateKeyToAccount(generatePrivateKey()).address
      const nonceBefore = await polygon.test.getTransactionCount({ address: user.polygonAddress, blockTag: 'pending' })
      const reply = await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/withdrawals`, headers: h.auth('sign'), payload: { chain: 'polygon', asset: 'pUSD', amount: '999999999999999', to } })
      assert.equal(reply.statusCode, 409, reply.body)
      assert.equal(reply.json().error.code, 'COFFRE_CONFLICT')
      assert.match(reply.json().error.message, /would fail/)
      assert.equal(await polygon.test.getTransactionCount({ address: user.polygonAddress, blockTag: 'pending' }), nonceBefore)
      const failed = (await h.test.vault.chain.webhooks.list({ limit: 1000 })).filter((e) => e.type === 'withdrawal.failed')
      assert.equal(failed.length, 1)
      const withdrawal = await h.test.vault.chain.withdrawals.get((failed[0]!.data as { withdrawalId: string }).withdrawalId)
      assert.equal(withdrawal.state, 'failed')
      assert.match(withdrawal.error ?? '', /COFFRE_CONFLICT/)
      const bad = await h.app.inject({ method: 'POST', url: `/v1/users/${user.id}/withdrawals`, headers: h.auth('sign'), payload: { chain: 'solana', asset: 'pUSD', amount: '1', to: user.solanaAddress } })
      assert.equal(bad.statusCode, 400, 'pUSD is not a Solana asset')
    })

    it('SOL and SPL USDC withdrawals on LiteSVM reach confirmed', async () => {
      const recipient = (await generateKeyPairSigner()).address
      const sol = await h.test.vault.chain.withdrawals.create({ id: user.id }, { chain: 'solana', asset: 'SOL', amount: '250000000', to: recipient })
      const usdc = await h.test.vault.chain.withdrawals.create({ id: user.id }, { chain: 'solana', asset: 'USDC', amount: '7000000', to: recipient })
      const done = await settle([sol.id, usdc.id])
      assert.deepEqual(done.map((w) => w.state), ['confirmed', 'confirmed'], JSON.stringify(done))
      const balances = await solana.solana.rpc.getBalance(recipient).send()
      assert.ok(balances.value >= 250_000_000n)
      const read = (await h.test.vault.chain.balances({ id: user.id })).solana
      assert.equal(read?.usdc, '43000000')
      assert.deepEqual(await events(sol.id), ['withdrawal.sent', 'withdrawal.confirmed'])
    })

    it('coffre withdraw --request-id is idempotent across runs', async () => {
      if (engine !== 'sqlite') return
      const store = h.test.store
      const env = { COFFRE_MASTER_KEY: Buffer.from(h.test.rootKey).toString('base64') }
      const to = privateKeyToAccount(generatePrivateKey()).address
      const args = ['--data-dir', store.dir, '--polygon-rpc-url', polygon.anvil.url, '--polygon-chain-id', String(polygon.anvil.chainId), '--polygon-contracts', JSON.stringify(polygon.config.contracts), '--polygon-confirmations', '2']
      const run = () => coffreInProcess([...args, 'withdraw', '--telegram-id', '501', '--chain', 'polygon', '--asset', 'pUSD', '--amount', '3', '--to', to, '--request-id', 'cli-1', '--json'], env)
      const first = await run()
      assert.equal(first.code, 0, first.stderr)
      const second = await run()
      assert.equal(second.json.id, first.json.id)
      // Sent by the CLI with the default 3 s poll: the service's worker picks it up when due.
      await settle([first.json.id], 250)
      const shown = await coffreInProcess([...args, 'withdrawal', 'get', first.json.id, '--json'], env)
      assert.equal(shown.json.state, 'confirmed')
      assert.equal(await pUsdOf(to), 3n)
    })
  })
}
