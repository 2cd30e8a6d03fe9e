/**
 * EIP-712 hashing, µs of CPU per digest (process.cpuUsage, the machine may be loaded): viem's
 * `hashTypedData` next to Coffre's compiled-schema hasher on the spec's Mail example (JSON-ish
 * input, as the vault receives it) and on a Polymarket V2 order (`hashOrderV2`), medians of
 * interleaved rounds after warm-up. Run: npx tsx bench/typedData.ts [--rounds 9]
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { hashTypedData } from 'viem'
import { hashTypedDataFields } from '../src/chain/evm/typedDataHash.ts'
import { hashOrderV2, orderV2TypedData, type OrderV2 } from '../src/polymarket/orderV2.ts'
import { eip712MailExample } from '../test/vectors/eip712Mail.ts'
import { median } from './figures.ts'

const mail = eip712MailExample
const mailJson = JSON.stringify(mail)

const order: OrderV2 = {
  salt: '479249096354', maker: '0x1111111111111111111111111111111111111111', signer: '0x1111111111111111111111111111111111111111',
  tokenId: '71321045679252212594626385532706912750332728571942532289631379312455583992563', makerAmount: '100000000', takerAmount: '50000000',
  side: 'BUY', signatureType: 0, timestamp: '1710000000000', metadata: `0x${'00'.repeat(32)}`, builder: `0x${'00'.repeat(32)}`, expiration: '0',
}
const exchange = '0xE111180000d2663C0091e4f400237545B87B996B'

const word3 = new Uint8Array(96)

/** CPU µs per call of `fn` over `n` calls. */
function cpuMicros(n: number, fn: () => void): number {
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / n
}

const roundsArg = process.argv.indexOf('--rounds')
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 9

const cases: [string, number, () => void][] = [
  ['Mail: viem hashTypedData', 500, () => hashTypedData(JSON.parse(mailJson))],
  ['Mail: coffre hashTypedDataFields', 5000, () => hashTypedDataFields(JSON.parse(mailJson))],
  ['Mail: JSON.parse alone (included in both above)', 5000, () => JSON.parse(mailJson)],
  ['Mail floor: its 7 noble keccak_256 calls alone', 5000, () => { for (let i = 0; i < 7; i++) keccak_256(word3) }],
  ['Order V2: viem hashTypedData', 500, () => hashTypedData(orderV2TypedData(order, 137, exchange))],
  ['Order V2: coffre hashOrderV2', 5000, () => hashOrderV2(order, 137, exchange)],
]
for (const [, n, fn] of cases) cpuMicros(n, fn) // warm-up
const samples = cases.map(() => [] as number[])
for (let r = 0; r < rounds; r++) cases.forEach(([, n, fn], i) => samples[i]!.push(cpuMicros(n, fn)))
const figures = cases.map(([name], i) => ({ name, usPerOp: Number(median(samples[i]!).toFixed(2)) }))
for (const f of figures) console.log(`${f.name.padEnd(50)} ${f.usPerOp.toFixed(2).padStart(8)} µs CPU/op`)
const us = (name: string) => figures.find((f) => f.name.startsWith(name))!.usPerOp
console.log(`Mail: ${(us('Mail: viem') / us('Mail: coffre')).toFixed(1)}× viem (target ≤ 50 µs CPU); Order V2: ${(us('Order V2: viem') / us('Order V2: coffre')).toFixed(1)}× viem`)
