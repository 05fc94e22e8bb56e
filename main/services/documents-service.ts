/**
 * Documents and batches: lists come from the local mirror (they work offline); details, content,
 * reviews and batch figures come from the server through the signed-in connection.
 */
import type { BatchStats, DocumentDetail, ReviewRequest } from '../../common/api';
import type { DocumentListItem, DocumentQuery } from '../../preload/contract';
import { documentTerms, type DocumentsMirror } from '../core';
import { batchCsv } from './batch-csv';
import type { EventBus } from './event-bus';
import type { SessionService } from './session-service';

const CSV_MAX_DOCUMENTS = 10_000;
const DETAIL_CONCURRENCY = 4;

export class DocumentsService {
  constructor(
    private readonly session: SessionService,
    private readonly mirror: DocumentsMirror,
    private readonly bus: EventBus,
  ) {}

  list(q: DocumentQuery): { total: number; items: DocumentListItem[] } {
    return this.mirror.list(q);
  }

  get(id: string): Promise<DocumentDetail> {
    return this.session.require().api.getDocument(id, AbortSignal.timeout(30_000));
  }

  content(id: string): Promise<Uint8Array> {
    return this.session.require().api.downloadContent(id, AbortSignal.timeout(180_000));
  }

  async review(arg: { id: string } & ReviewRequest): Promise<DocumentDetail> {
    const { id, ...request } = arg;
    const c = this.session.require();
    const updated = await c.api.reviewDocument(id, request, AbortSignal.timeout(30_000));
    // A corrected name or number is searchable (and the Provider column right) at once.
    this.mirror.indexTerms(id, updated.changeSeq, documentTerms(updated));
    // The mirror catches up through the change feed; nudge it so lists show the new status now.
    c.session.pokeSync();
    this.bus.emit('documents.changed', { ids: [id] });
    return updated;
  }

  stats(batchId: string): Promise<BatchStats> {
    return this.session.require().api.batchStats(batchId, AbortSignal.timeout(30_000));
  }

  async exportCsv(batchId: string): Promise<string> {
    const api = this.session.require().api;
    const ids = this.mirror.list({ batchId, limit: 1000, sort: 'fileName', direction: 'asc' }).items.map((d) => d.id);
    for (let offset = ids.length; offset < CSV_MAX_DOCUMENTS; offset += 1000) {
      const page = this.mirror.list({ batchId, limit: 1000, offset, sort: 'fileName', direction: 'asc' });
      if (page.items.length === 0) break;
      ids.push(...page.items.map((d) => d.id));
    }
    const details: DocumentDetail[] = [];
    for (let i = 0; i < ids.length; i += DETAIL_CONCURRENCY) {
      details.push(
        ...(await Promise.all(
          ids.slice(i, i + DETAIL_CONCURRENCY).map((id) => api.getDocument(id, AbortSignal.timeout(30_000))),
        )),
      );
    }
    return batchCsv(details);
  }
}
