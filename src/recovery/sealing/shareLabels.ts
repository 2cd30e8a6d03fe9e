/**
 * What every sealed share says about itself in the clear — its format, backup id and index, for
 * the holder to see which share it is — and the associated data that binds those labels to the
 * ciphertext. After opening, the share's own header must agree with the labels, so an envelope
 * cannot be relabelled as another share (this also covers ECIES, which has no associated data).
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { UUID_PATTERN } from '../../ids.ts'
import { decodeUserShare, backupIdText } from '../shares/userShareCodec.ts'

export type ShareLabels = { readonly backupId: string; readonly index: number }

export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

export function fromB64u(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw invalidInput(`${field} must be base64url`, { field })
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

/** The labels of a share about to be sealed (decoding also proves it is a well-formed share). */
export function labelsOf(share: Uint8Array): ShareLabels {
  const decoded = decodeUserShare(share)
  return { backupId: backupIdText(decoded.backupId), index: decoded.index }
}

export function assertLabels(labels: ShareLabels): void {
  if (typeof labels.backupId !== 'string' || !UUID_PATTERN.test(labels.backupId)) throw invalidInput('backupId must be a lowercase UUID', { field: 'backupId' })
  if (!Number.isInteger(labels.index) || labels.index < 1 || labels.index > 255) throw invalidInput('index must be an integer from 1 to 255', { field: 'index' })
}

export const labelBytes = (format: string, labels: ShareLabels, extra = ''): Uint8Array =>
  new Uint8Array(Buffer.from(`${format}\n${labels.backupId}\n${labels.index}${extra === '' ? '' : `\n${extra}`}`, 'utf8'))

/** The opened share, checked against its envelope's labels; wiped and refused if they disagree. */
export function checkOpenedShare(share: Uint8Array, labels: ShareLabels): Uint8Array {
  let actual: ShareLabels | undefined
  try {
    actual = labelsOf(share)
  } catch {
    actual = undefined
  }
  if (actual === undefined || actual.backupId !== labels.backupId || actual.index !== labels.index) {
    share.fill(0)
    throw new CoffreError('COFFRE_DECRYPT_FAILED', 'the sealed share opened to something other than the share its envelope names')
  }
  return share
}
