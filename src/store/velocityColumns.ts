/** The policy_velocity row holds a ring of this many (sum, bucket) column pairs: s0..s24, b0..b24 (src/policy/velocity.ts). */
export const VELOCITY_COLUMN_COUNT = 25
