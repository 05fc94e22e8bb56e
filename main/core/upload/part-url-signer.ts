import type { SignedPartUrl } from '../../../common/api';
import type { ApiClient } from '../api-client';
import { PRIORITY } from './priority-limiter';
import { runRequest, type RequestRunnerDeps } from './request-runner';

const SIGN_BATCH = 100;

/**
 * Signed part URLs of one upload, signed in batches of up to 100 just before they are needed.
 * A URL is reused while more than `marginMs` of its life remains; a URL the store refused is
 * dropped (`invalidate`) and signed again. `initial` seeds it with URLs the server already signed.
 */
export class PartUrlSigner {
  private readonly urls = new Map<number, { url: string; expiresAtMs: number }>();
  private signing: Promise<void> | null = null;

  constructor(
    private readonly deps: RequestRunnerDeps & { api: ApiClient },
    private readonly uploadId: string,
    private readonly pendingParts: () => number[],
    private readonly marginMs: number,
    private readonly onSigned: (count: number) => void = () => undefined,
    initial: SignedPartUrl[] = [],
  ) {
    // URLs the register answer carried: used like signed ones (re-signed when refused or near expiry).
    for (const u of initial) this.urls.set(u.partNumber, { url: u.url, expiresAtMs: Date.parse(u.expiresAt) });
  }

  async urlFor(partNumber: number, signal: AbortSignal): Promise<string> {
    for (let round = 0; round < 3; round++) {
      const hit = this.urls.get(partNumber);
      if (hit && hit.expiresAtMs - Date.now() > this.marginMs) return hit.url;
      if (hit && round > 0) return hit.url; // freshly signed: use it even if short-lived
      await this.sign(partNumber, signal);
    }
    const last = this.urls.get(partNumber);
    if (!last) throw new Error(`The server signed no URL for part ${partNumber}`);
    return last.url;
  }

  invalidate(partNumber: number): void {
    this.urls.delete(partNumber);
  }

  private async sign(first: number, signal: AbortSignal): Promise<void> {
    if (this.signing) return this.signing;
    const wanted = [first, ...this.pendingParts().filter((n) => n !== first && !this.isFresh(n))].slice(0, SIGN_BATCH);
    this.signing = runRequest(this.deps, { priority: PRIORITY.finish, target: 'api', signal }, () =>
      this.deps.api.signParts(this.uploadId, wanted, signal),
    )
      .then((res) => {
        for (const u of res.urls) this.urls.set(u.partNumber, { url: u.url, expiresAtMs: Date.parse(u.expiresAt) });
        this.onSigned(res.urls.length);
      })
      .finally(() => {
        this.signing = null;
      });
    return this.signing;
  }

  private isFresh(n: number): boolean {
    const hit = this.urls.get(n);
    return !!hit && hit.expiresAtMs - Date.now() > this.marginMs;
  }
}
