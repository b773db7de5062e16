/** Work that was still running at its deadline. It may go on in the background: a promise cannot be cancelled. */
export class DeadlinePassed extends Error {
  constructor(readonly deadlineMs: number) {
    super(`took longer than ${deadlineMs / 1000} s`);
  }
}

/**
 * The outcome of `work`, or a DeadlinePassed once `deadlineMs` have gone by (real time: the Clock
 * says what is due, not how long a call may take). The signal handed to `work` fires at the deadline.
 */
export async function withinDeadline<T>(deadlineMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const passed = new DeadlinePassed(deadlineMs);
      reject(passed);
      controller.abort(passed);
    }, deadlineMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => work(controller.signal)), deadline]);
  } catch (error) {
    // Work that stopped because its signal fired still ran out of time.
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}
