/**
 * Runs new work (upload registrations) after the work in flight (completes, reads). Requests are
 * handled in the order their bytes arrive, one event-loop turn at a time; under a burst a turn
 * held a hundred of them (~25 ms), and a complete waited for every registration that arrived
 * before it. Parked here, registrations run in the turn's check phase, at most `budgetMs` of them
 * per turn, and the rest wait for the next turn: a complete then waits for one short turn, and
 * the registrations absorb the queue instead. Idle, this costs one turn (microseconds); each turn
 * admits at least one, so registrations are slowed under load, never starved.
 */
export class NewWorkGate {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly budgetMs = 2) {}

  /** Resolves when this piece of new work may run. */
  admit(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    const started = performance.now();
    do {
      this.waiting.shift()!();
      // The admitted request's continuation was queued first: it runs before this await resumes,
      // so the budget counts (most of) its work; the rest still runs within this check phase.
      await null;
    } while (this.waiting.length && performance.now() - started < this.budgetMs);
    this.scheduled = false;
    if (this.waiting.length) this.schedule();
  }
}
