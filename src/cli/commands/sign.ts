/** `coffre sign message|typed-data|evm-tx|solana-tx`: payloads from files or stdin. */
import type { Command } from 'commander'
import { CoffreError } from '../../errors.ts'
import type { EvmTransactionRequest } from '../../chain/evm/parseEvmTransaction.ts'
import type { TypedDataInput } from '../../chain/evm/signTypedData.ts'
import { CLI_ACTOR, withVault, type CliContext } from '../context.ts'
import { print, readInput, readJsonFile } from '../io.ts'
import { addUserRefOptions, userRefFrom } from '../userRefOptions.ts'

export function registerSign(program: Command, ctx: CliContext): void {
  const sign = program.command('sign').description('sign for a user without exposing the key (every use audited)')

  addUserRefOptions(sign.command('message').description('EIP-191 personal message (polygon) or ed25519 message (solana)'))
    .requiredOption('--chain <chain>', 'polygon or solana')
    .requiredOption('--message-file <file>', 'the message bytes (- for stdin)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        if (options.chain !== 'polygon' && options.chain !== 'solana') throw new CoffreError('COFFRE_INVALID_INPUT', '--chain must be polygon or solana')
        const message = readInput(options.messageFile, 'message')
        const result = await vault.sign.message(userRefFrom(options), { chain: options.chain, message }, { actor: CLI_ACTOR })
        print(out, result, () => result.signature)
      }),
    )

  addUserRefOptions(sign.command('typed-data').description('EIP-712 typed data ({ domain, types, primaryType, message } as JSON)'))
    .requiredOption('--file <file>', 'typed data JSON (- for stdin)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const typedData = readJsonFile(options.file, 'typed data') as TypedDataInput
        const result = await vault.sign.typedData(userRefFrom(options), typedData, { actor: CLI_ACTOR })
        print(out, result, () => result.signature)
      }),
    )

  addUserRefOptions(sign.command('evm-tx').description('sign (not send) an EIP-1559 transaction given as JSON'))
    .requiredOption('--file <file>', 'transaction JSON: chainId, nonce, to, value, data, gas, maxFeePerGas, maxPriorityFeePerGas')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const tx = readJsonFile(options.file, 'transaction') as EvmTransactionRequest
        const result = await vault.sign.evmTransaction(userRefFrom(options), tx, { actor: CLI_ACTOR })
        print(out, result, () => result.serializedTransaction)
      }),
    )

  addUserRefOptions(sign.command('solana-tx').description('sign a Solana transaction (wire format, base64 text)'))
    .requiredOption('--file <file>', 'base64 of the serialized transaction (- for stdin)')
    .action((options, command: Command) =>
      withVault(command, ctx, async (vault, out) => {
        const text = Buffer.from(readInput(options.file, 'transaction')).toString('utf8').trim()
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new CoffreError('COFFRE_INVALID_INPUT', 'transaction file must hold base64 text')
        const result = await vault.sign.solanaTransaction(userRefFrom(options), new Uint8Array(Buffer.from(text, 'base64')), { actor: CLI_ACTOR })
        const reply = { signature: result.signature, signedTransaction: Buffer.from(result.signedTransaction).toString('base64'), address: result.address }
        print(out, reply, () => reply.signedTransaction)
      }),
    )
}
