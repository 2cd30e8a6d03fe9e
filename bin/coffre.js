#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx (no build step for operators).
import { register } from 'tsx/esm/api'
register()
await import('../src/cli/index.ts')
