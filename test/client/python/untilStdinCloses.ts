/** Keeps a helper process alive until its parent closes our stdin (or signals us), then runs `stop`. */
export function untilStdinCloses(stop: () => Promise<void>): void {
  let stopping = false
  const finish = () => {
    if (stopping) return
    stopping = true
    void stop().finally(() => process.exit(0))
  }
  process.stdin.on('end', finish)
  process.stdin.on('close', finish)
  process.stdin.resume()
  process.once('SIGTERM', finish)
  process.once('SIGINT', finish)
}
