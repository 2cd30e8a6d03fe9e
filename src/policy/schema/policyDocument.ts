/**
 * A policy document: `{ name, version?, description?, rules: [{ id, action, operation,
 * conditions, approvals? }] }`. Parsed strictly (unknown fields are errors); the cross-field
 * rules (conditions that fit the operation, velocity not on deny rules…) are in parsePolicy.ts.
 */
import { z } from 'zod'
import { POLICY_OPERATIONS } from '../operations.ts'
import { conditionSchema } from './conditions.ts'

export const MAX_RULES = 256
export const MAX_CONDITIONS = 32
export const MAX_APPROVERS = 64

const ruleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a rule id is 1–64 letters, digits and . _ : - (starting with a letter or digit)')
export const policyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a policy name is 1–64 lowercase letters, digits and . _ - (starting with a letter or digit)')

const approvals = z
  .strictObject({
    threshold: z.number().int().min(1).max(MAX_APPROVERS),
    approvers: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._@-]{0,127}$/, 'an approver is 1–128 letters, digits and : . _ @ -')).min(1).max(MAX_APPROVERS),
  })
  .refine((a) => new Set(a.approvers).size === a.approvers.length, { message: 'approvers must be distinct', path: ['approvers'] })
  .refine((a) => a.threshold <= a.approvers.length, { message: 'threshold is larger than the number of approvers', path: ['threshold'] })

export const ruleSchema = z.strictObject({
  id: ruleId,
  action: z.enum(['allow', 'deny', 'require-approval']),
  operation: z.enum([...POLICY_OPERATIONS, '*']),
  conditions: z.array(conditionSchema).max(MAX_CONDITIONS).default([]),
  approvals: approvals.optional(),
})

export const policyDocumentSchema = z.strictObject({
  name: policyName,
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  description: z.string().max(1000).optional(),
  rules: z.array(ruleSchema).max(MAX_RULES),
})

/** The document as written (JSON in, before normalisation). */
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>
/** The parsed, normalised document the compiler takes. */
export type PolicyDocument = z.output<typeof policyDocumentSchema>
export type PolicyRule = PolicyDocument['rules'][number]
export type RuleAction = PolicyRule['action']
