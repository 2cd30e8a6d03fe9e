/**
 * Per-user Shamir backups over HTTP (vault.userBackups, docs/recovery.md): create returns share 3
 * sealed to the bot's X25519 key or under the user's passphrase — never a share in the clear;
 * restore takes the shares the bot holds (the user's share opened by the bot, or the passphrase
 * envelope with its passphrase) and refuses any set that does not give back this user's wallet.
 */
import type { FastifyInstance } from 'fastify'
import { HPKE_SUITE } from '../../crypto/hpke.ts'
import type { RestoreUserBackupInput } from '../../vault/userBackup/restoreUserBackup.ts'
import type { UserShareSealing } from '../../vault/userBackup/backupPlacement.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } as const
const base64url = { type: 'string', pattern: '^[A-Za-z0-9_-]*$', maxLength: 512 } as const
const index = { type: 'integer', minimum: 1, maximum: 255 } as const

const hpkeShare = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'suite', 'backupId', 'index', 'enc', 'ciphertext'],
  properties: { format: { type: 'string', enum: ['coffre-share-hpke-v1'] }, suite: { type: 'string', enum: [HPKE_SUITE] }, backupId: uuid, index, enc: base64url, ciphertext: base64url },
} as const

const passphraseShare = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'backupId', 'index', 'kdf', 'ciphertext'],
  properties: {
    format: { type: 'string', enum: ['coffre-share-scrypt-v1'] },
    backupId: uuid,
    index,
    kdf: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'logN', 'r', 'p', 'salt'],
      properties: { name: { type: 'string', enum: ['scrypt'] }, logN: { type: 'integer' }, r: { type: 'integer' }, p: { type: 'integer' }, salt: base64url },
    },
    ciphertext: base64url,
  },
} as const

const backupReply = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'backupId', 'threshold', 'shares', 'vaultShare', 'objectShare', 'userShare', 'createdAt', 'sealedUserShare'],
  properties: {
    userId: { type: 'string' },
    backupId: { type: 'string' },
    threshold: { type: 'integer' },
    shares: { type: 'integer' },
    vaultShare: { type: 'object', additionalProperties: false, required: ['index'], properties: { index: { type: 'integer' } } },
    objectShare: {
      type: 'object',
      additionalProperties: false,
      required: ['index', 'bucket', 'key', 'versionId', 'lockedUntil'],
      properties: { index: { type: 'integer' }, bucket: { type: 'string' }, key: { type: 'string' }, versionId: { type: ['string', 'null'] }, lockedUntil: { type: ['string', 'null'] } },
    },
    userShare: { type: 'object', additionalProperties: false, required: ['index', 'format'], properties: { index: { type: 'integer' }, format: { type: 'string' } } },
    createdAt: { type: 'string' },
    sealedUserShare: { oneOf: [hpkeShare, passphraseShare] },
  },
} as const

const restoreReply = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'backupId', 'threshold', 'sharesUsed', 'polygonAddress', 'solanaAddress', 'restored'],
  properties: {
    userId: { type: 'string' },
    backupId: { type: 'string' },
    threshold: { type: 'integer' },
    sharesUsed: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['index', 'source'], properties: { index: { type: 'integer' }, source: { type: 'string', enum: ['supplied', 'passphrase', 'vault', 'object-storage'] } } },
    },
    polygonAddress: { type: 'string' },
    solanaAddress: { type: 'string' },
    restored: { type: 'boolean' },
  },
} as const

const passphrase = { type: 'string', minLength: 1, maxLength: 1024 } as const

export async function userBackupRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  app.post<{ Params: { id: string }; Body: { userShare: UserShareSealing; threshold?: number; shares?: number } }>('/users/:id/backup', {
    onRequest: guard('export'),
    preHandler: idempotent,
    schema: {
      tags: ['users'],
      summary: 'Split the user\'s BIP-39 entropy t-of-3: share 1 sealed in the vault, share 2 in object storage, share 3 sealed to the bot (HPKE, X25519) or a passphrase and returned once',
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['userShare'],
        properties: {
          userShare: {
            oneOf: [
              { type: 'object', additionalProperties: false, required: ['recipientPublicKey'], properties: { recipientPublicKey: { type: 'string', minLength: 43, maxLength: 44 } } },
              { type: 'object', additionalProperties: false, required: ['passphrase'], properties: { passphrase } },
            ],
          },
          threshold: { type: 'integer', minimum: 2, maximum: 3 },
          shares: { type: 'integer', minimum: 3, maximum: 3 },
        },
      },
      response: { 201: backupReply, ...errorReplies },
    },
  }, async (request, reply) => {
    const created = await vault.userBackups.create({ id: request.params.id }, request.body, callerOf(request))
    return reply.code(201).send(created)
  })

  app.post<{ Params: { id: string }; Body: RestoreUserBackupInput }>('/users/:id/backup/restore', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['users'],
      summary: 'Restore (or with verifyOnly check) the user\'s wallet from t backup shares; refused unless they give back the stored addresses',
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          backupId: uuid,
          shares: { type: 'array', maxItems: 16, items: { type: 'string', minLength: 6, maxLength: 512 } },
          passphraseShare: { type: 'object', additionalProperties: false, required: ['envelope', 'passphrase'], properties: { envelope: passphraseShare, passphrase } },
          useVaultShare: { type: 'boolean' },
          useObjectShare: { type: 'boolean' },
          verifyOnly: { type: 'boolean' },
        },
      },
      response: { 200: restoreReply, ...errorReplies },
    },
  }, async (request) => vault.userBackups.restore({ id: request.params.id }, request.body, callerOf(request)))
}
