/**
 * Writes a key file so that it is whole and durable before anything depends on it, and never
 * replaces one: the bytes go to a private temporary file (0600) that is fsynced, then hard-linked to
 * its name (which fails if the name exists) and the directory is fsynced. A crash leaves either no
 * key file or the complete one — never an empty or short file next to data keys wrapped under it.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export function writeKeyFileDurably(path: string, key: Uint8Array): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temporary, 'wx', 0o600)
  try {
    try {
      writeSync(fd, key)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    linkSync(temporary, path)
  } finally {
    unlinkSync(temporary)
  }
  const dirFd = openSync(dir, 'r')
  try {
    fsyncSync(dirFd)
  } finally {
    closeSync(dirFd)
  }
}
