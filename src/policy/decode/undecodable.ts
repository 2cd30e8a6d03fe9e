/**
 * Thrown by a decoder when the part of a request a condition needs cannot be decoded (a
 * transfer selector with malformed arguments, a transaction that does not parse, a lookup-table
 * account whose address is unknown). The evaluator turns it into a denial by the rule that
 * asked: fail-closed.
 */
export class Undecodable extends Error {
  override name = 'Undecodable'
}

export const undecodable = (reason: string): never => {
  throw new Undecodable(reason)
}
