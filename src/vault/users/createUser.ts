/**
 * Creates a user with a fresh BIP-39 wallet, or returns the existing one for that telegram id.
 * Idempotent under concurrency: in one process a single-flight map shares one creation per id;
 * across processes the unique telegram id and ON CONFLICT DO NOTHING make the loser read the winner.
 */
import { createWalletMaterial, wipeWalletMaterial, type DerivedWalletMaterial } from '../../wallet/walletMaterial.ts'
import { WalletWorkerPool } from '../../wallet/walletWorkerPool.ts'
import { findUserByTelegramId, findWallets } from '../../store/users.ts'
import { authenticUserRows } from './findUser.ts'
import { CoffreError } from '../../errors.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { storeNewUser, storeNewUsers } from './storeNewUser.ts'
import { toUser, type User } from './user.ts'
import { parseTelegramUserId, parseUsername } from './userInput.ts'

export type CreateUserInput = { readonly telegramUserId: number | string; readonly username?: string | null }
export type CreateUserResult = { readonly user: User; readonly created: boolean }

export function createUserService(ctx: VaultContext) {
  const inFlight = new Map<number, Promise<CreateUserResult>>()
  // Bulk derivation workers belong to this vault (started on first use, stopped by close()), so
  // closing one vault never stops the workers another vault in the process is using.
  let pool: WalletWorkerPool | undefined
  const workers = () => (pool ??= new WalletWorkerPool())

  async function existing(telegramUserId: number): Promise<User | undefined> {
    const row = await findUserByTelegramId(ctx.store.db, telegramUserId)
    if (row === undefined) return undefined
    const { user, wallets } = authenticUserRows(ctx, { user: row, wallets: await findWallets(ctx.store.db, [row.id]) })
    return toUser(user, wallets)
  }

  async function createFromMaterial(telegramUserId: number, username: string | null, material: DerivedWalletMaterial, actor: string): Promise<CreateUserResult> {
    try {
      const user = await storeNewUser(ctx, { telegramUserId, username, origin: 'generated', actor }, material)
      if (user !== null) return { user, created: true }
    } finally {
      wipeWalletMaterial(material)
    }
    return winnerOf(telegramUserId)
  }

  async function winnerOf(telegramUserId: number): Promise<CreateUserResult> {
    const winner = await existing(telegramUserId)
    if (winner === undefined) throw new CoffreError('COFFRE_STORE_FAILED', 'user creation conflicted but no user was found')
    return { user: winner, created: false }
  }

  async function ensureOne(telegramUserId: number, username: string | null, actor: string): Promise<CreateUserResult> {
    const found = await existing(telegramUserId)
    if (found !== undefined) return { user: found, created: false }
    return createFromMaterial(telegramUserId, username, createWalletMaterial({ words: ctx.config.mnemonicWords }), actor)
  }

  return {
    /** Creates the user or returns the existing one, saying which. */
    ensure(input: CreateUserInput, options: ActionOptions = {}): Promise<CreateUserResult> {
      const telegramUserId = parseTelegramUserId(input?.telegramUserId)
      const username = parseUsername(input?.username)
      // Callers that join an in-flight creation share its user; only the first one created it.
      const shared = inFlight.get(telegramUserId)
      if (shared !== undefined) return shared.then(({ user }) => ({ user, created: false }))
      const pending = ensureOne(telegramUserId, username, options.actor ?? DEFAULT_ACTOR).finally(() => inFlight.delete(telegramUserId))
      inFlight.set(telegramUserId, pending)
      return pending
    },

    /**
     * Bulk provisioning: wallet derivation runs on a worker pool (PBKDF2 dominates) and users are
     * written in transactions of `chunk` users (each user all-or-nothing; existing ids returned as is).
     */
    async ensureMany(inputs: readonly CreateUserInput[], options: ActionOptions & { chunk?: number } = {}): Promise<CreateUserResult[]> {
      const parsed = inputs.map((input) => ({ telegramUserId: parseTelegramUserId(input?.telegramUserId), username: parseUsername(input?.username) }))
      const actor = options.actor ?? DEFAULT_ACTOR
      const chunk = options.chunk ?? 200
      const results: CreateUserResult[] = []
      const generate = (start: number) => workers().createBatch(Math.min(chunk, parsed.length - start), { words: ctx.config.mnemonicWords })
      // Pipelined: the workers derive the next chunk while this thread stores the current one.
      if (parsed.length === 0) return []
      let pending: Promise<DerivedWalletMaterial[]> | undefined = generate(0)
      for (let start = 0; pending !== undefined; start += chunk) {
        const slice = parsed.slice(start, start + chunk)
        const materials: DerivedWalletMaterial[] = await pending
        pending = start + chunk < parsed.length ? generate(start + chunk) : undefined
        pending?.catch(() => {})
        let stored: (User | null)[]
        try {
          stored = await storeNewUsers(ctx, slice.map((input, i) => ({ fields: { ...input, origin: 'generated' as const, actor }, secrets: materials[i]! })))
        } catch (error) {
          // The prefetched chunk will not be stored: wipe it when it arrives.
          pending?.then((next) => next.forEach(wipeWalletMaterial), () => {})
          throw error
        } finally {
          materials.forEach(wipeWalletMaterial)
        }
        for (const [i, user] of stored.entries()) {
          if (user !== null) results.push({ user, created: true })
          else results.push(await winnerOf(slice[i]!.telegramUserId))
        }
      }
      return results
    },

    /** Starts the bulk-derivation workers ahead of the first `ensureMany` (they load in ~1 s). */
    warmUp: (): Promise<void> => workers().warmUp(),

    /** Stops this vault's derivation workers. */
    async close(): Promise<void> {
      await pool?.close()
      pool = undefined
    },
  }
}
