/**
 * An independent verifier for the Python suite (viem, not Coffre's code): reads one JSON request
 * on stdin and prints `{"valid": bool, …}`.
 * - `{ "kind": "typedData", "address", "typedData", "signature" }` → viem verifyTypedData;
 * - `{ "kind": "evmTransaction", "serializedTransaction" }` → viem parseTransaction and
 *   recoverTransactionAddress (`valid` is true, with the signer and fields, when it parses).
 * Integers in typed data may be decimal strings (JSON cannot carry bigints).
 */
import { parseTransaction, recoverTransactionAddress, verifyTypedData, type Hex } from 'viem'

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'))

if (request.kind === 'typedData') {
  const valid = await verifyTypedData({ ...request.typedData, address: request.address as Hex, signature: request.signature as Hex })
  process.stdout.write(JSON.stringify({ valid }))
} else if (request.kind === 'evmTransaction') {
  const serializedTransaction = request.serializedTransaction as Hex
  const parsed = parseTransaction(serializedTransaction)
  const signer = await recoverTransactionAddress({ serializedTransaction: serializedTransaction as never })
  process.stdout.write(JSON.stringify({ valid: true, signer, type: parsed.type, chainId: parsed.chainId, nonce: parsed.nonce, to: parsed.to, value: String(parsed.value) }))
} else {
  throw new Error(`unknown kind ${request.kind}`)
}
