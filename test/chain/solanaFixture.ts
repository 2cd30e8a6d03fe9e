/**
 * A local Solana for tests: the LiteSVM JSON-RPC adapter, a 6-decimal SPL mint standing in for
 * USDC, the parsed SolanaChainConfig pointing at both, and helpers that move SOL and USDC with
 * real signed transactions sent over JSON-RPC (so they show up in signatures and statuses).
 */
import { getTransferSolInstruction } from '@solana-program/system'
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
  getTransferCheckedInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import { getCreateAccountInstruction } from '@solana-program/system'
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type Signature,
} from '@solana/kit'
import { parseChainConfig, type SolanaChainConfig } from '../../src/chain/chainConfig.ts'
import { createSolanaChain, type SolanaChain } from '../../src/chain/rpc/solanaRpc.ts'
import { startLiteSvmRpc, type LiteSvmRpc } from '../support/litesvmRpc.ts'

export const LAMPORTS_PER_SOL = 1_000_000_000n

export type SolanaFixture = Readonly<{
  rpcServer: LiteSvmRpc
  config: SolanaChainConfig
  solana: SolanaChain
  mint: Address
  mintAuthority: KeyPairSigner
  /** A funded signer (10 SOL) for paying and sending. */
  newFundedSigner(sol?: bigint): Promise<KeyPairSigner>
  send(payer: KeyPairSigner, instructions: readonly Instruction[], options?: { skipPreflight?: boolean }): Promise<Signature>
  transferSol(from: KeyPairSigner, to: Address, amount: bigint): Promise<Signature>
  /** Mints USDC into the owner's associated token account (created if missing). */
  mintUsdc(owner: Address, amount: bigint): Promise<Signature>
  transferUsdc(from: KeyPairSigner, toOwner: Address, amount: bigint): Promise<Signature>
  ata(owner: Address): Promise<Address>
  stop(): Promise<void>
}>

export async function startSolanaFixture(): Promise<SolanaFixture> {
  const rpcServer = await startLiteSvmRpc()
  try {
    const config = parseChainConfig({ solana: { rpcUrls: [rpcServer.url], genesisHash: rpcServer.genesisHash } }).solana!
    const bootstrap = createSolanaChain({ ...config, usdcMint: config.usdcMint })
    const rpc = bootstrap.rpc
    const send = async (payer: KeyPairSigner, instructions: readonly Instruction[], options: { skipPreflight?: boolean } = {}): Promise<Signature> => {
      const { value: blockhash } = await rpc.getLatestBlockhash().send()
      const signed = await pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) => appendTransactionMessageInstructions(instructions, m),
        (m) => signTransactionMessageWithSigners(m),
      )
      return rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64', skipPreflight: options.skipPreflight === true }).send()
    }
    const newFundedSigner = async (sol = 10n): Promise<KeyPairSigner> => {
      const signer = await generateKeyPairSigner()
      rpcServer.ledger.airdrop(signer.address, sol * LAMPORTS_PER_SOL)
      return signer
    }
    const mintAuthority = await newFundedSigner(100n)
    const mintSigner = await generateKeyPairSigner()
    const space = 82n
    await send(mintAuthority, [
      getCreateAccountInstruction({
        payer: mintAuthority,
        newAccount: mintSigner,
        lamports: lamports(rpcServer.ledger.svm.minimumBalanceForRentExemption(space)),
        space,
        programAddress: TOKEN_PROGRAM_ADDRESS,
      }),
      getInitializeMint2Instruction({ mint: mintSigner.address, decimals: 6, mintAuthority: mintAuthority.address }),
    ])
    const mint = mintSigner.address
    const ata = async (owner: Address) => (await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0]
    const ensureAta = async (payer: KeyPairSigner, owner: Address) =>
      getCreateAssociatedTokenIdempotentInstruction({ payer, ata: await ata(owner), owner, mint })
    const usdcConfig = Object.freeze({ ...config, usdcMint: mint })
    return Object.freeze({
      rpcServer,
      config: usdcConfig,
      solana: createSolanaChain(usdcConfig),
      mint,
      mintAuthority,
      newFundedSigner,
      send,
      ata,
      transferSol: (from, to, amount) => send(from, [getTransferSolInstruction({ source: from, destination: to, amount: lamports(amount) })]),
      mintUsdc: async (owner, amount) =>
        send(mintAuthority, [await ensureAta(mintAuthority, owner), getMintToInstruction({ mint, token: await ata(owner), mintAuthority, amount })]),
      transferUsdc: async (from, toOwner, amount) =>
        send(from, [
          await ensureAta(from, toOwner),
          getTransferCheckedInstruction({ source: await ata(from.address), mint, destination: await ata(toOwner), authority: from, amount, decimals: 6 }),
        ]),
      stop: () => rpcServer.stop(),
    })
  } catch (error) {
    await rpcServer.stop()
    throw error
  }
}
