/**
 * `coffre doctor`: database reachable, migrations current, the root key opens every live data key,
 * the keyring is whole (one active key, every key's creation audited, no secret under a missing or
 * retired key, no rotation stuck half-way, no generated user without its mnemonic), every stored
 * secret decrypts and re-derives its stored address, every authenticated row's MAC matches
 * (`integrity`, naming each bad row), the audit chain verifies.
 */
import { timingSafeEqual } from 'node:crypto'
import { secp256k1 } from '../crypto/secp256k1.ts'
import { listDataKeys } from '../store/dataKeys.ts'
import { readRecoveryKeyRefs } from '../store/recoveryKeys.ts'
import { latestSchedulerRuns } from '../store/scheduler/schedulerRuns.ts'
import { verifyAuditChain } from '../store/audit/verify.ts'
import { migrationStatus } from '../store/openStore.ts'
import { pingStore } from '../store/ping.ts'
import { findWallets, listUsers, type UserRow, type WalletRow } from '../store/users.ts'
import { evmAddressFromPrivateKey } from '../wallet/evmAddress.ts'
import { solanaAddressFromSecretKey } from '../wallet/solanaAccount.ts'
import { walletMaterialFromEntropy, wipeWalletMaterial } from '../wallet/walletMaterial.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from './context.ts'
import { checkDataKeys, checkGeneratedUsers, checkRotation } from './doctorKeyChecks.ts'
import { checkRowIntegrity } from './integrity/checkRowIntegrity.ts'
import { checkTokenPolicies } from './policies/tokenPolicyCheck.ts'
import { withSecret } from './keys/useKey.ts'
import { identityKeyPlace, mnemonicPlace, walletKeyPlace } from './places.ts'

export type DoctorCheck = { readonly name: string; readonly ok: boolean; readonly detail: string; readonly failures?: readonly string[]; readonly warnings?: readonly string[] }
export type DoctorReport = { readonly ok: boolean; readonly checks: readonly DoctorCheck[] }

const MAX_LISTED_FAILURES = 100

export type DoctorOptions = ActionOptions & {
  /** Decrypt every secret and count secrets per data key (default true; the scheduler's health check skips it). */
  readonly secrets?: boolean
  readonly scheduler?: boolean
  /** A rotation idle this long is reported stuck (default 10 minutes). */
  readonly stuckRotationMs?: number
}

export async function runDoctor(ctx: VaultContext, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = []
  const run = async (name: string, check: () => Promise<Omit<DoctorCheck, 'name'>>) => {
    try {
      checks.push({ name, ...(await check()) })
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) })
    }
  }
  await run('database', async () => {
    await pingStore(ctx.store.db)
    return { ok: true, detail: ctx.store.location }
  })
  await run('migrations', async () => {
    const { pending } = await migrationStatus(ctx.store.db)
    return { ok: pending.length === 0, detail: pending.length === 0 ? 'current' : `pending: ${pending.join(', ')}` }
  })
  await run('token-policies', () => checkTokenPolicies(ctx))
  await run('key-provider', async () => {
    const { kind, keyRef, details } = ctx.keyring.provider.info
    const facts = Object.entries(details).map(([k, v]) => `${k}=${v}`)
    return { ok: true, detail: [`kind=${kind}`, `keyRef=${keyRef}`, ...facts].join(' ') }
  })
  await run('root-key', async () => {
    const keys = (await listDataKeys(ctx.store.db)).filter((k) => k.state !== 'retired')
    const failures: string[] = []
    for (const key of keys) {
      try {
        await ctx.keyring.loadDataKey(key.id)
      } catch (error) {
        failures.push(`${key.id}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    const { kind, keyRef } = ctx.keyring.provider.info
    return { ok: failures.length === 0, detail: `${kind} ${keyRef} opens ${keys.length - failures.length}/${keys.length} data keys`, ...(failures.length ? { failures } : {}) }
  })
  await run('recovery-key', async () => {
    const { current, pending } = await readRecoveryKeyRefs(ctx.store.db)
    const unfinished = pending === undefined ? [] : [`backup split of recovery key ${pending} did not finish: its shares (if they were printed) and the previous ones both restore; run coffre backup split again`]
    if (current === undefined) return unfinished.length > 0 ? { ok: false, detail: unfinished.join('; '), failures: unfinished } : { ok: true, detail: 'no recovery key configured' }
    const keys = (await listDataKeys(ctx.store.db)).filter((k) => k.state !== 'retired')
    const uncovered = keys.filter((k) => k.recovery_wrapped_key == null && k.provider_key_ref !== current)
    const failures = [...unfinished, ...uncovered.map((k) => `data key ${k.id} has no recovery wrap; run coffre backup split again`)]
    if (failures.length > 0) return { ok: false, detail: failures.join('; '), failures }
    return { ok: true, detail: `recovery key ${current} wraps all ${keys.length} data keys` }
  })
  await run('integrity', () => checkRowIntegrity(ctx))
  await run('data-keys', () => checkDataKeys(ctx, options.secrets !== false))
  await run('rotation', () => checkRotation(ctx, new Date(), options.stuckRotationMs))
  await run('users', () => checkGeneratedUsers(ctx))
  if (options.secrets !== false) await run('secrets', () => checkSecrets(ctx, options))
  await run('audit-chain', async () => {
    const result = await verifyAuditChain(ctx.store.db)
    return { ok: result.ok, detail: result.ok ? `${result.entries} entries verified` : `broken at entry ${result.firstBrokenEntry}: ${result.reason}` }
  })
  if (options.scheduler !== false) {
    await run('scheduler', async () => {
      const runs = await latestSchedulerRuns(ctx.store.db)
      const failing = runs.filter((r) => !r.ok).map((r) => `${r.job} at ${r.startedAt} on ${r.instance}: ${r.detail}`)
      const detail = runs.length === 0 ? 'no scheduled runs recorded' : runs.map((r) => `${r.job} ${r.ok ? 'ok' : 'FAILED'} ${r.finishedAt}`).join(', ')
      return { ok: failing.length === 0, detail, ...(failing.length ? { failures: failing } : {}) }
    })
  }
  return { ok: checks.every((c) => c.ok), checks }
}

async function checkSecrets(ctx: VaultContext, options: ActionOptions): Promise<Omit<DoctorCheck, 'name'>> {
  const failures: string[] = []
  let users = 0
  let afterId: string | undefined
  for (;;) {
    const page = await listUsers(ctx.store.db, { limit: 500, ...(afterId === undefined ? {} : { afterId }) })
    if (page.length === 0) break
    const wallets = await findWallets(ctx.store.db, page.map((u) => u.id))
    for (const user of page) {
      users += 1
      for (const problem of await checkUser(ctx, user, wallets.filter((w) => w.user_id === user.id), options.actor ?? DEFAULT_ACTOR)) {
        if (failures.length < MAX_LISTED_FAILURES) failures.push(`user ${user.id} (telegram ${user.telegram_user_id}): ${problem}`)
      }
    }
    afterId = page[page.length - 1]?.id
  }
  await ctx.audit.append({ action: 'doctor.verify-secrets', actor: options.actor ?? DEFAULT_ACTOR, details: { users, failures: failures.length } })
  return { ok: failures.length === 0, detail: `${users} users checked, ${failures.length} failing`, ...(failures.length ? { failures } : {}) }
}

async function checkUser(ctx: VaultContext, user: UserRow, wallets: readonly WalletRow[], actor: string): Promise<string[]> {
  const problems: string[] = []
  const use = { purpose: 'doctor', userId: user.id, actor }
  const attempt = async (what: string, fn: () => Promise<string | null>) => {
    try {
      const problem = await fn()
      if (problem !== null) problems.push(`${what}: ${problem}`)
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  for (const wallet of wallets) {
    await attempt(`${wallet.chain} key`, async () => {
      const address = await withSecret(ctx, wallet.private_key_ciphertext, walletKeyPlace(user.id, wallet.chain, wallet.address), use, (key) =>
        wallet.chain === 'polygon' ? evmAddressFromPrivateKey(key) : solanaAddressFromSecretKey(key),
      )
      return address === wallet.address ? null : 'does not derive the stored address'
    })
  }
  await attempt('identity key', async () => {
    const publicKey = await withSecret(ctx, user.identity_private_key_ciphertext, identityKeyPlace(user.id), use, (key) => secp256k1.publicKeyCreate(key, true))
    return timingSafeEqual(publicKey, Buffer.from(user.identity_public_key, 'hex')) ? null : 'does not match the stored public key'
  })
  if (user.mnemonic_ciphertext !== null) {
    const ciphertext = user.mnemonic_ciphertext
    await attempt('mnemonic', async () => {
      const material = await withSecret(ctx, ciphertext, mnemonicPlace(user.id), use, (entropy) => walletMaterialFromEntropy(entropy))
      try {
        const stored = (chain: string) => wallets.find((w) => w.chain === chain)?.address
        return material.evm.address === stored('polygon') && material.solana.address === stored('solana') ? null : 'does not derive the stored addresses'
      } finally {
        wipeWalletMaterial(material)
      }
    })
  }
  return problems
}
