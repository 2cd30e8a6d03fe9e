/**
 * Reads shares as an operator pastes or files them: one per line, blank lines and `#` comment
 * lines ignored, surrounding spaces trimmed. Validation is combineRootKeyShares's job.
 */
export function parseShares(text: string): string[] {
  if (typeof text !== 'string') throw new TypeError('shares text must be a string')
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}
