/** Lower runs first: completes/aborts, then parts of started files, then new registrations. */
export const PRIORITY = { finish: 0, part: 1, register: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

interface Waiter {
  priority: Priority;
  seq: number;
  start: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * One concurrency limit shared by every request the engine makes (registrations, part PUTs,
 * completes), served by priority then arrival. Memory stays bounded because a part's bytes are
 * read only once its task holds a slot.
 */
export class PriorityLimiter {
  private active = 0;
  private seq = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private limit: number) {}

  get running(): number {
    return this.active;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  async run<T>(priority: Priority, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(priority, signal);
    try {
      return await task();
    } finally {
      this.active--;
      this.drain();
    }
  }

  private acquire(priority: Priority, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        priority,
        seq: this.seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.drain();
    });
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        const w = this.waiting[i] as Waiter;
        const b = this.waiting[best] as Waiter;
        if (w.priority < b.priority || (w.priority === b.priority && w.seq < b.seq)) best = i;
      }
      const [next] = this.waiting.splice(best, 1);
      this.active++;
      next?.start();
    }
  }
}
