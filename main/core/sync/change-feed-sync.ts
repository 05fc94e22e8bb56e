import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api-client';
import type { DocumentsMirror } from './documents-mirror';
import { TermsIndexer } from './terms-indexer';

export interface ChangeFeedSyncOptions {
  /** Poll interval while something is processing or uploading (default 1 s). */
  busyIntervalMs?: number;
  /** Longest interval when nothing changes (default 30 s); idle polls back off up to it. */
  idleMaxIntervalMs?: number;
  /** True while the app expects changes soon (a batch uploading or processing). */
  isBusy?: () => boolean;
  /**
   * Also read each extracted document's names and numbers into the mirror's search index (one
   * GET per document, audited on the server as a read): the desktop app's search needs it, the
   * command line does not.
   */
  indexTerms?: boolean;
}

/**
 * Polls the server's change feed from the stored cursor into the documents mirror: fast while busy,
 * backing off (doubling) while idle; unreachable server = keep the mirror, try again later.
 */
export class ChangeFeedSync extends EventEmitter<{ changed: [ids: string[]]; error: [message: string] }> {
  private stopper: AbortController | null = null;
  private wake: (() => void) | null = null;
  private readonly terms: TermsIndexer | null;

  constructor(
    private readonly api: ApiClient,
    private readonly mirror: DocumentsMirror,
    private readonly opts: ChangeFeedSyncOptions = {},
  ) {
    super();
    this.terms = opts.indexTerms ? new TermsIndexer(api, mirror) : null;
  }

  /**
   * Reads every page available now, then (with `indexTerms`) the search terms of documents extracted
   * or reviewed since, a bounded pass; returns the ids that changed (deleted ones included).
   */
  async syncOnce(signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const page = await this.api.changes(this.mirror.cursor(), 500, signal);
      if (page.documents.length > 0 || page.deletedIds.length > 0 || page.cursor !== this.mirror.cursor())
        this.mirror.apply(page.documents, page.cursor, page.deletedIds);
      ids.push(...page.documents.map((d) => d.id), ...page.deletedIds);
      if (!page.hasMore) break;
    }
    if (ids.length) this.emit('changed', ids);
    const indexed = (await this.terms?.indexPending(signal)) ?? [];
    if (indexed.length) this.emit('changed', indexed);
    return [...ids, ...indexed];
  }

  start(): void {
    if (this.stopper) return;
    const stopper = new AbortController();
    this.stopper = stopper;
    void this.loop(stopper.signal);
  }

  stop(): void {
    this.stopper?.abort();
    this.stopper = null;
    this.wake?.();
  }

  /** Poll now (e.g. right after a batch finished uploading). */
  poke(): void {
    this.wake?.();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const busyMs = this.opts.busyIntervalMs ?? 1_000;
    const idleMax = this.opts.idleMaxIntervalMs ?? 30_000;
    let interval = busyMs;
    while (!signal.aborted) {
      try {
        const changed = await this.syncOnce(signal);
        interval = changed.length > 0 || this.opts.isBusy?.() ? busyMs : Math.min(idleMax, interval * 2);
      } catch (err) {
        if (signal.aborted) return;
        this.emit('error', err instanceof Error ? err.message : String(err));
        interval = Math.min(idleMax, interval * 2);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void sleep(interval, undefined, { signal }).then(resolve, resolve);
      });
      this.wake = null;
    }
  }
}
