/**
 * Ends this process when the supervisor that started it is gone (even after a SIGKILL, which
 * gives the supervisor no chance to clean up): the child is re-parented and its ppid changes.
 */
export function exitWithParent(onExit: () => void = () => process.exit(0), intervalMs = 1000): void {
  const parent = process.ppid;
  if (!process.env.ATTUNE_SUPERVISED) return;
  setInterval(() => {
    if (process.ppid !== parent) onExit();
  }, intervalMs).unref();
}
