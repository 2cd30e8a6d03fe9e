/** A condition compiled once at load time: a closure over prepared sets, judged per request. */
import type { RequestContext } from '../evaluation/requestContext.ts'

export type CompiledCondition = (ctx: RequestContext) => boolean
