/**
 * On-chain failures, expressed with the existing error codes (so HTTP statuses and the error
 * catalogue stay as they are) and a stable `details.reason` that tells them apart:
 * - `chain-mismatch` (COFFRE_INVALID_CONFIG): an RPC URL serves another chain or cluster;
 * - `rpc-failed` (COFFRE_UPSTREAM_FAILED): every RPC URL failed, timed out or refused;
 * - `fee-cap-exceeded` (COFFRE_CONFLICT): network fees are above the configured cap, nothing sent;
 * - `would-revert` (COFFRE_CONFLICT): the transaction fails in estimation or simulation, nothing sent.
 */
import { CoffreError, isCoffreError, type ErrorCode, type ErrorDetails } from '../errors.ts'

export type ChainErrorReason = 'chain-mismatch' | 'rpc-failed' | 'fee-cap-exceeded' | 'would-revert'

const codes: Readonly<Record<ChainErrorReason, ErrorCode>> = {
  'chain-mismatch': 'COFFRE_INVALID_CONFIG',
  'rpc-failed': 'COFFRE_UPSTREAM_FAILED',
  'fee-cap-exceeded': 'COFFRE_CONFLICT',
  'would-revert': 'COFFRE_CONFLICT',
}

export function chainError(reason: ChainErrorReason, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}): CoffreError {
  return new CoffreError(codes[reason], message, { details: { reason, ...options.details }, ...(options.cause === undefined ? {} : { cause: options.cause }) })
}

export const hasChainReason = (error: unknown, reason: ChainErrorReason): boolean => isCoffreError(error) && error.details?.reason === reason
