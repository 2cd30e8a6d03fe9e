import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IncorrectKeyException, InvalidCiphertextException, NotFoundException } from '@aws-sdk/client-kms'
import { kmsErrorKind, kmsFailure } from '../../src/keyProviders/awsKmsErrors.ts'

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req-1' } })

describe('aws-kms error mapping', () => {
  it('classifies KMS answers', () => {
    const meta = { $metadata: {}, message: 'x' }
    assert.equal(kmsErrorKind(new InvalidCiphertextException(meta)), 'not-this-key')
    assert.equal(kmsErrorKind(new IncorrectKeyException(meta)), 'not-this-key')
    assert.equal(kmsErrorKind(new NotFoundException(meta)), 'key-gone')
    assert.equal(kmsErrorKind(awsError('DisabledException', '')), 'key-gone')
    assert.equal(kmsErrorKind(awsError('KMSInvalidStateException', '')), 'key-gone')
    assert.equal(kmsErrorKind(awsError('AccessDeniedException', '')), 'access-denied')
    assert.equal(kmsErrorKind(awsError('ThrottlingException', '')), 'failed')
    assert.equal(kmsErrorKind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'failed')
    assert.equal(kmsErrorKind('weird'), 'failed')
  })

  it('builds messages from the error name only, never from the SDK message', () => {
    const secret = 'AKIA-SECRET-IN-MESSAGE'
    const error = kmsFailure('Decrypt', awsError('AccessDeniedException', `User ${secret} is not authorized`))
    assert.equal(error.code, 'COFFRE_KEY_PROVIDER_FAILED')
    assert.match(error.message, /AccessDeniedException/)
    assert.deepEqual(error.details, { provider: 'aws-kms', operation: 'Decrypt', awsError: 'AccessDeniedException', httpStatus: 400, requestId: 'req-1' })
    assert.equal(JSON.stringify(error).includes(secret), false)
    assert.equal(error.cause, undefined)
    assert.equal(kmsFailure('Decrypt', awsError('InvalidCiphertextException', '')).code, 'COFFRE_ROOT_KEY_INVALID')
    assert.equal(kmsFailure('Encrypt', awsError('DisabledException', '')).code, 'COFFRE_ROOT_KEY_MISSING')
  })
})
