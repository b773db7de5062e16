/**
 * Spaces out sends to the same channel (Slack allows about one message per second per channel),
 * while different channels proceed in parallel. A failed send does not hold up the next one.
 */
export class ChannelSendQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly minIntervalMs = 1000) {}

  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const wait = (this.lastSent.get(channel) ?? 0) + this.minIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          return await send();
        } finally {
          this.lastSent.set(channel, Date.now());
        }
      });
    this.tails.set(channel, next);
    void next
      .finally(() => {
        if (this.tails.get(channel) !== next) return;
        this.tails.delete(channel);
        // Forget idle channels once their spacing no longer matters, so the maps stay small.
        setTimeout(() => {
          if (!this.tails.has(channel)) this.lastSent.delete(channel);
        }, this.minIntervalMs).unref();
      })
      .catch(() => undefined);
    return next;
  }
}
