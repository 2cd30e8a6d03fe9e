/** Writes docs/errors.md from the error catalogue in src/errors.ts (a test checks they agree). */
import { writeFileSync } from 'node:fs'
import { errorCodes } from '../src/errors.ts'

export function renderErrorDocs(): string {
  const rows = Object.entries(errorCodes).map(([code, description]) => `| \`${code}\` | ${description} |`)
  return [
    '# Error codes',
    '',
    'Every error Coffre raises is a `CoffreError` with one of these stable codes. The CLI prints',
    '`coffre: CODE: message` (or `{"error":{"code","message"}}` with `--json`) and exits non-zero;',
    'the HTTP API replies `{"error":{"code","message"}}`. Messages never contain secrets.',
    '',
    '| code | meaning |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs())
