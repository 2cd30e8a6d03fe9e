/**
 * A small filesystem of its own (tmpfs, mounted as root) that a test can fill to the last page and
 * free again. `unmount` (call it from after(), also on failure) detaches it even if a process still
 * holds a file open (lazy unmount) and removes the mount point.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type SmallFilesystem = {
  readonly dir: string
  /** Writes a filler file until the filesystem answers ENOSPC; returns the bytes written. */
  fill(): number
  /** Deletes the filler file. */
  free(): void
  unmount(): void
}

export function mountSmallFilesystem(sizeMiB: number): SmallFilesystem {
  if (process.getuid?.() !== 0) throw new Error('the full-disk tests mount a tmpfs and must run as root')
  const dir = mkdtempSync(join(tmpdir(), 'coffre-full-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir])
  const filler = join(dir, 'filler')
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a')
      let written = 0
      try {
        for (const size of [1 << 16, 1 << 12, 1 << 9]) {
          const chunk = Buffer.alloc(size, 0xa5)
          for (;;) {
            try {
              written += writeSync(fd, chunk)
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
              break
            }
          }
        }
      } finally {
        closeSync(fd)
      }
      return written
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', dir])
      rmdirSync(dir)
    },
  }
}
