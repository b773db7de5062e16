/**
 * Lets the event loop turn (timers, sockets, other commands) before going on. An awaited SQLite
 * query resolves without one, so a loop of them would hold the loop until it ends.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
