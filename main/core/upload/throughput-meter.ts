/** Bytes per second over a sliding window, for the progress bar and ETA. */
export class ThroughputMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(bytes: number, at = Date.now()): void {
    this.samples.push({ at, bytes });
    this.trim(at);
  }

  bytesPerSecond(at = Date.now()): number {
    this.trim(at);
    if (this.samples.length === 0) return 0;
    const first = this.samples[0] as { at: number };
    const span = Math.max(1000, at - first.at);
    return (this.samples.reduce((n, s) => n + s.bytes, 0) * 1000) / span;
  }

  private trim(at: number): void {
    while (this.samples.length > 0 && (this.samples[0] as { at: number }).at < at - this.windowMs) this.samples.shift();
  }
}
