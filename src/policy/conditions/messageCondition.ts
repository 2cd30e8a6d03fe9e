/** message: the EIP-191 (or Solana) message text matches a pattern, in linear time (messagePattern.ts). */
import { compileMessagePattern } from '../messagePattern.ts'
import type { Condition } from '../schema/conditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'

export function compileMessage(condition: Extract<Condition, { type: 'message' }>): CompiledCondition {
  const pattern = compileMessagePattern(condition.matches, condition.caseInsensitive === true)
  return (ctx) => pattern.test(ctx.messageText())
}
