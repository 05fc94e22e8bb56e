import { AppError } from '../../../common/errors';
import type { ApiClient } from '../api-client';
import { documentTerms } from './document-terms';
import type { DocumentsMirror } from './documents-mirror';

const PER_PASS = 200;
const CONCURRENCY = 4;

/**
 * Reads the details of documents whose extraction finished (or changed since last read) and files
 * their names, numbers and titles in the mirror's search index. The change feed carries summaries
 * only, so this is one GET per new extraction or review; a pass is bounded so polling the feed
 * never waits long behind a large backlog.
 */
export class TermsIndexer {
  constructor(
    private readonly api: Pick<ApiClient, 'getDocument'>,
    private readonly mirror: DocumentsMirror,
  ) {}

  /** Indexes up to one pass's worth of documents; returns their ids. Network errors end the pass (the next poll retries). */
  async indexPending(signal?: AbortSignal): Promise<string[]> {
    const ids = this.mirror.needingTerms(PER_PASS);
    const done: string[] = [];
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      if (signal?.aborted) break;
      await Promise.all(
        ids.slice(i, i + CONCURRENCY).map(async (id) => done.push(...(await this.indexOne(id, signal)))),
      );
    }
    return done;
  }

  private async indexOne(id: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const doc = await this.api.getDocument(id, signal);
      this.mirror.indexTerms(id, doc.changeSeq, documentTerms(doc));
      return [id];
    } catch (err) {
      // Gone on the server: the change feed will drop it; until then do not ask again.
      if (err instanceof AppError && err.kind === 'not_found') {
        this.mirror.indexTerms(id, Number.MAX_SAFE_INTEGER, { person: null, numbers: [], titles: [] });
        return [];
      }
      throw err;
    }
  }
}
