/**
 * Message patterns run on re2js (a JavaScript port of RE2): matching is linear in the message
 * length whatever the pattern. V8's backtracking RegExp is not: /.*a.*a.*a.*b/ over 1,000
 * characters ran for minutes here, and banning backreferences or nested quantifiers does not
 * prevent such polynomial blow-ups. RE2 syntax has no backreferences or lookaround (they are
 * refused when the policy loads). Messages longer than MAX_PATTERN_INPUT are not matched at
 * all: the condition cannot be judged and the request is denied (fail-closed).
 */
import { RE2JS } from 're2js'

export const MAX_PATTERN_INPUT = 8192

export type MessagePattern = { readonly test: (text: string) => boolean }

/** Compiles or throws a message naming the syntax error (the caller attaches the path). */
export function compileMessagePattern(source: string, caseInsensitive = false): MessagePattern {
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(source, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0)
  } catch (error) {
    throw new RangeError(error instanceof Error ? error.message : 'invalid pattern')
  }
  return { test: (text) => compiled.matcher(text).find() }
}
