import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { address, generateKeyPairSigner } from '@solana/kit'
import { signSolanaTransaction } from '../../../../src/chain/solana/signSolanaTransaction.ts'
import type { SolanaTransactionSigner } from '../../../../src/chain/tx/signers.ts'
import type { SolanaOutboxStore } from '../../../../src/store/chain/solanaOutbox.ts'
import { createSolanaSender, type SolanaSender } from '../../../../src/chain/tx/solana/solanaSender.ts'
import { hasChainReason } from '../../../../src/chain/chainErrors.ts'
import { isCoffreError } from '../../../../src/errors.ts'
import { createSqlSolanaOutboxStore } from '../../../../src/store/chain/solanaOutboxStore.ts'
import { openStore, type Store } from '../../../../src/store/openStore.ts'
import { solanaAddressFromSecretKey } from '../../../../src/wallet/solanaAccount.ts'
import { createTestStore, ENGINES, type TestStore } from '../../../support/engines.ts'
import { LAMPORTS_PER_SOL, startSolanaFixture, type SolanaFixture } from '../../solanaFixture.ts'
import { readSolanaBalances } from '../../../../src/chain/balances/solanaBalances.ts'

const coded = (code: string) => (e: unknown) => isCoffreError(e) && e.code === code

/** The vault's own signing path (src/chain/solana) behind the signer interface, with a test key. */
function localSigner(secretKey: Uint8Array): SolanaTransactionSigner {
  return { address: solanaAddressFromSecretKey(secretKey), signTransaction: async (wire) => signSolanaTransaction(secretKey, wire).signedTransaction }
}

for (const engine of ENGINES) {
  describe(`Solana transaction outbox on litesvm (${engine})`, () => {
    let fx: SolanaFixture
    let testStore: TestStore
    let store: Store
    let outbox: SolanaOutboxStore
    let signer: SolanaTransactionSigner
    let sender: SolanaSender
    const settle = async (id: string) => {
      for (let i = 0; i < 10; i++) {
        const tx = await outbox.get(id)
        if (tx?.state === 'confirmed' || tx?.state === 'failed') return tx
        await sender.processDue()
      }
      return outbox.get(id)
    }
    const balances = async (owner: string) => (await readSolanaBalances(fx.solana, [owner])).balances[0]!

    before(async () => {
      fx = await startSolanaFixture()
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      outbox = createSqlSolanaOutboxStore(store.db, store.dialect)
      signer = localSigner(new Uint8Array(randomBytes(32)))
      fx.rpcServer.ledger.airdrop(address(signer.address), 5n * LAMPORTS_PER_SOL)
      await fx.mintUsdc(address(signer.address), 9_000_000n)
      sender = createSolanaSender({ solana: fx.solana, store: outbox, signerFor: () => signer, tuning: { pollMs: 0 } })
    })
    after(async () => {
      await store?.close()
      await testStore?.cleanup()
      await fx?.stop()
    })

    it('sends SOL and SPL (creating the recipient token account) and confirms them', async () => {
      const to = (await generateKeyPairSigner()).address
      const sol = await sender.submit({ id: `${engine}-sol`, from: signer.address, intent: { kind: 'sol', to, lamports: '1500000000' } })
      assert.equal(sol.state, 'sent')
      const spl = await sender.submit({ id: `${engine}-spl`, from: signer.address, intent: { kind: 'spl', mint: fx.mint, to, amount: 2_000_000n, decimals: 6 } })
      assert.equal((await settle(sol.id))?.state, 'confirmed')
      const final = await settle(spl.id)
      assert.equal(final?.state, 'confirmed')
      assert.ok(final?.slot !== null && final!.slot > 0n)
      const received = await balances(to)
      assert.equal(received.sol, 1_500_000_000n)
      assert.equal(received.usdc, 2_000_000n)
      const again = await sender.submit({ id: `${engine}-sol`, from: signer.address, intent: { kind: 'sol', to, lamports: '1500000000' } })
      assert.equal(again.signature, sol.signature)
      await assert.rejects(sender.submit({ id: `${engine}-sol`, from: signer.address, intent: { kind: 'sol', to, lamports: '1' } }), coded('COFFRE_IDEMPOTENCY_MISMATCH'))
      assert.equal((await balances(to)).sol, 1_500_000_000n, 'nothing was sent twice')
    })

    it('resends a dropped transaction unchanged until it lands', async () => {
      const to = (await generateKeyPairSigner()).address
      fx.rpcServer.ledger.dropNext(2)
      const tx = await sender.submit({ id: `${engine}-dropped`, from: signer.address, intent: { kind: 'sol', to, lamports: 1_000_000n } })
      const final = await settle(tx.id)
      assert.equal(final?.state, 'confirmed')
      assert.equal(final?.signature, tx.signature, 'the same signed transaction, resent')
      assert.equal(final?.rebuilds, 0)
      assert.equal((await balances(to)).sol, 1_000_000n)
    })

    it('rebuilds on a new blockhash only after the old one expired unseen, and sends once', async () => {
      const to = (await generateKeyPairSigner()).address
      fx.rpcServer.ledger.dropNext(1)
      const tx = await sender.submit({ id: `${engine}-expired`, from: signer.address, intent: { kind: 'sol', to, lamports: 3_000_000n } })
      assert.equal(tx.state, 'sent')
      fx.rpcServer.ledger.advanceSlots(200n) // past lastValidBlockHeight: the dropped attempt can never land
      const final = await settle(tx.id)
      assert.equal(final?.state, 'confirmed')
      assert.equal(final?.rebuilds, 1)
      assert.notEqual(final?.signature, tx.signature)
      assert.equal((await balances(to)).sol, 3_000_000n)
    })

    it('fails a transfer that fails simulation without sending anything', async () => {
      const to = (await generateKeyPairSigner()).address
      await assert.rejects(
        sender.submit({ id: `${engine}-too-much`, from: signer.address, intent: { kind: 'spl', mint: fx.mint, to, amount: 10n ** 15n, decimals: 6 } }),
        (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_CONFLICT' && hasChainReason(e, 'would-revert'),
      )
      assert.equal((await outbox.get(`${engine}-too-much`))?.state, 'failed')
      assert.equal((await balances(to)).sol, 0n)
    })

    it('refuses a signer that signs something else', async () => {
      const other = localSigner(new Uint8Array(randomBytes(32)))
      const liar: SolanaTransactionSigner = { address: signer.address, signTransaction: async (wire) => {
        const signed = await signer.signTransaction(wire)
        signed.set([(signed.at(-1) ?? 0) ^ 1], signed.length - 1)
        return signed
      } }
      const lying = createSolanaSender({ solana: fx.solana, store: outbox, signerFor: () => liar })
      await assert.rejects(lying.submit({ id: `${engine}-liar`, from: signer.address, intent: { kind: 'sol', to: other.address, lamports: 5n } }), coded('COFFRE_SIGNING_FAILED'))
      assert.equal((await outbox.get(`${engine}-liar`))?.signature, null)
    })
  })
}
