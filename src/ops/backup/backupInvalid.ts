import { CoffreError, type ErrorDetails } from '../../errors.ts'

/** A share or share set that cannot give back the root key. Messages name the share, never its content. */
export const backupInvalid = (message: string, details?: ErrorDetails): CoffreError =>
  new CoffreError('COFFRE_BACKUP_INVALID', message, details === undefined ? {} : { details })
