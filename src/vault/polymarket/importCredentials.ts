/**
 * `vault.polymarket.credentials.import`: stores API credentials that come from elsewhere (another
 * system, an operator) for a vault user, secret and passphrase sealed, in one audited write.
 * Importing a key this CLOB already has stored changes nothing.
 */
import { invalidInput } from '../../errors.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { writeWithSecrets } from '../writeTransaction.ts'
import { storeImportedCredentials, type ImportedCredentials } from './storeImportedCredentials.ts'

export async function importCredentials(ctx: VaultContext, input: ImportedCredentials, options: ActionOptions = {}): Promise<{ inserted: boolean; id: string }> {
  if (typeof input !== 'object' || input === null) throw invalidInput('credentials must be an object')
  const actor = options.actor ?? DEFAULT_ACTOR
  return writeWithSecrets(
    ctx,
    async (trx, sealer) => {
      const stored = await storeImportedCredentials(ctx, trx, sealer, input)
      return { result: stored, audit: stored.inserted ? [{ action: 'polymarket.credentials.import', actor, userId: input.userId, subject: `polymarket:${input.apiKey}`, details: { baseUrl: input.baseUrl } }] : [] }
    },
    { encryptions: 2 },
  )
}
