/**
 * A share sealed to an X25519 public key the bot supplies, with HPKE (RFC 9180) through
 * src/crypto/hpke.ts: info = "coffre-share-hpke-v1", associated data = format ‖ backupId ‖ index.
 */
import { HPKE_SUITE, hpkeOpen, hpkeSeal } from '../../crypto/hpke.ts'
import { assertLabels, b64u, checkOpenedShare, fromB64u, labelBytes, labelsOf } from './shareLabels.ts'

export const HPKE_SHARE_FORMAT = 'coffre-share-hpke-v1'

export type HpkeSealedShare = {
  readonly format: typeof HPKE_SHARE_FORMAT
  readonly suite: typeof HPKE_SUITE
  readonly backupId: string
  readonly index: number
  /** base64url of HPKE's 32-byte encapsulated key. */
  readonly enc: string
  /** base64url of the AES-256-GCM ciphertext ‖ tag of the binary share. */
  readonly ciphertext: string
}

const info = new Uint8Array(Buffer.from(HPKE_SHARE_FORMAT))

export async function sealShareToX25519(share: Uint8Array, recipientPublicKey: Uint8Array): Promise<HpkeSealedShare> {
  const labels = labelsOf(share)
  const sealed = await hpkeSeal(recipientPublicKey, share, { info, associatedData: labelBytes(HPKE_SHARE_FORMAT, labels) })
  return { format: HPKE_SHARE_FORMAT, suite: HPKE_SUITE, ...labels, enc: b64u(sealed.enc), ciphertext: b64u(sealed.ciphertext) }
}

/** The recipient's side: its raw 32-byte X25519 private key → the binary share. */
export async function openShareFromX25519(sealed: HpkeSealedShare, recipientPrivateKey: Uint8Array): Promise<Uint8Array> {
  assertLabels(sealed)
  const envelope = { enc: fromB64u(sealed.enc, 'enc'), ciphertext: fromB64u(sealed.ciphertext, 'ciphertext') }
  const share = await hpkeOpen(recipientPrivateKey, envelope, { info, associatedData: labelBytes(HPKE_SHARE_FORMAT, sealed) })
  return checkOpenedShare(share, sealed)
}
