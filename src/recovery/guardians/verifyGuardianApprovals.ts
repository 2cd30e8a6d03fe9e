/**
 * Which guardians approved a recovery request: each signature is an EIP-191 personal_sign over the
 * request's canonical text (recoveryRequest.ts); the signer's public key is recovered with
 * libsecp256k1 and looked up among the guardian set's keys — compared as public keys, not addresses.
 * A guardian counts once however many signatures (or keys) it brings. Refusals: text in another
 * form, for another vault or another (rotated) guardian set → COFFRE_RECOVERY_REQUEST_INVALID;
 * past its expiry → COFFRE_RECOVERY_EXPIRED; a malformed, high-s or non-guardian signature →
 * COFFRE_RECOVERY_SIGNATURE_INVALID (the whole batch is refused: a stranger's signature is a
 * sign of trouble, not noise).
 */
import { hashMessage } from 'viem'
import { recoverDigestSigner } from '../../chain/evm/recoverDigestSigner.ts'
import { CoffreError } from '../../errors.ts'
import { findGuardian, type GuardianSet } from './guardianSet.ts'
import { parseRecoveryRequest, type RecoveryRequest } from './recoveryRequest.ts'

export type ApprovalContext = {
  /** The vault checking the approvals: a request for another vault is refused. */
  readonly vaultId: string
  /** Unix seconds (an injected clock). */
  readonly now: number
}

export type GuardianApprovals = {
  readonly request: RecoveryRequest
  /** Distinct approving guardians, in the order their first signature came. */
  readonly approvedBy: readonly string[]
  readonly threshold: number
  readonly thresholdMet: boolean
}

const badSignature = (message: string, position: number) =>
  new CoffreError('COFFRE_RECOVERY_SIGNATURE_INVALID', message, { details: { signature: position } })

/** The compressed public key (lowercase hex) that made `signature` (65-byte r‖s‖v hex, low-s) over `digest`. */
export function recoverSignerPublicKey(digest: Uint8Array, signature: unknown, position = 1): string {
  try {
    return Buffer.from(recoverDigestSigner(digest, signature)).toString('hex')
  } catch (error) {
    if (error instanceof RangeError) throw badSignature(`Signature ${position} ${error.message}`, position)
    throw error
  }
}

export const recoveryRequestDigest = (text: string): Uint8Array => new Uint8Array(Buffer.from(hashMessage(text).slice(2), 'hex'))

export function verifyGuardianApprovals(text: string, signatures: readonly string[], set: GuardianSet, context: ApprovalContext): GuardianApprovals {
  const request = parseRecoveryRequest(text)
  if (request.vaultId !== context.vaultId) {
    throw new CoffreError('COFFRE_RECOVERY_REQUEST_INVALID', 'The recovery request was made for another vault', { details: { field: 'vaultId' } })
  }
  if (request.guardianSetId !== set.id) {
    throw new CoffreError('COFFRE_RECOVERY_REQUEST_INVALID', "The recovery request names another guardian set (the user's guardians have changed since)", { details: { field: 'guardianSetId' } })
  }
  if (!Number.isSafeInteger(context.now) || context.now >= request.expiresAt) {
    throw new CoffreError('COFFRE_RECOVERY_EXPIRED', 'The recovery request has expired', { details: { expiresAt: request.expiresAt } })
  }
  if (!Array.isArray(signatures)) throw new TypeError('signatures must be an array')
  const digest = recoveryRequestDigest(text)
  const approvedBy: string[] = []
  signatures.forEach((signature, i) => {
    const publicKey = recoverSignerPublicKey(digest, signature, i + 1)
    const guardian = findGuardian(set, publicKey)
    if (guardian === undefined) throw badSignature(`Signature ${i + 1} was not made by one of the user's guardians`, i + 1)
    if (!approvedBy.includes(guardian.id)) approvedBy.push(guardian.id)
  })
  return { request, approvedBy, threshold: set.threshold, thresholdMet: approvedBy.length >= set.threshold }
}

/** As verifyGuardianApprovals, then COFFRE_RECOVERY_THRESHOLD_NOT_MET unless enough distinct guardians approved. */
export function assertRecoveryApproved(text: string, signatures: readonly string[], set: GuardianSet, context: ApprovalContext): GuardianApprovals {
  const approvals = verifyGuardianApprovals(text, signatures, set, context)
  if (!approvals.thresholdMet) {
    throw new CoffreError('COFFRE_RECOVERY_THRESHOLD_NOT_MET', `${approvals.approvedBy.length} of the ${approvals.threshold} guardian approvals needed`, {
      details: { approvals: approvals.approvedBy.length, threshold: approvals.threshold },
    })
  }
  return approvals
}
