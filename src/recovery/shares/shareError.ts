/**
 * The typed refusals of user-backup share handling, one code each (src/errors.ts), so a caller —
 * and the bot behind it — can tell a mistyped share from a share of another backup. Messages
 * name the share by its position in the caller's list, never its content.
 */
import { CoffreError, type ErrorDetails } from '../../errors.ts'

export type ShareErrorCode =
  | 'COFFRE_SHARE_MALFORMED'
  | 'COFFRE_SHARE_CORRUPTED'
  | 'COFFRE_SHARES_MIXED'
  | 'COFFRE_SHARE_DUPLICATED'
  | 'COFFRE_SHARES_TOO_FEW'
  | 'COFFRE_SHARES_WRONG'

export const shareError = (code: ShareErrorCode, message: string, details?: ErrorDetails): CoffreError =>
  new CoffreError(code, message, details === undefined ? {} : { details })
