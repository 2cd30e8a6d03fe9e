/**
 * The stand-in CLOB (test/polymarket/standinClob.ts) as a process, for the Python suite: prints
 * `{"url": …}` on one line, serves until its stdin closes.
 */
import { startStandinClob } from '../../polymarket/standinClob.ts'
import { untilStdinCloses } from './untilStdinCloses.ts'

const clob = await startStandinClob({ chainId: 137 })
process.stdout.write(`${JSON.stringify({ url: clob.url })}\n`)
untilStdinCloses(() => clob.stop())
