import type Database from 'better-sqlite3';
import type { DocumentStatus, DocumentSummary } from '../../../common/api';
import type { DocumentListItem, DocumentQuery } from '../../../common/domain';
import { flushProgress } from '../db/commit-progress';
import { searchWords, termsMatchQuery, type DocumentTerms } from './document-terms';
import { allowedEdits, foldWord, nearWords } from './name-typos';

/** Statuses whose documents have an extraction to read terms from. */
const EXTRACTED = "('review_pending', 'approved', 'rejected')";

const SORT_COLUMNS: Record<NonNullable<DocumentQuery['sort']>, string> = {
  updatedAt: 'updated_at',
  fileName: 'file_name',
  expirationDate: 'expiration_date',
  status: 'status',
};

/** The local copy of the server's documents, fed by the change feed, readable offline. */
export class DocumentsMirror {
  constructor(private readonly db: Database.Database) {}

  cursor(): number {
    const r = this.db.prepare("SELECT value FROM sync_state WHERE key = 'changes_cursor'").get() as
      { value: string } | undefined;
    return r ? Number(r.value) : 0;
  }

  /** Upserts a page of changes, drops deleted documents and advances the cursor, in one transaction. */
  apply(docs: readonly DocumentSummary[], cursor: number, deletedIds: readonly string[] = []): void {
    const up = this.db.prepare(
      `INSERT INTO documents (id, batch_id, file_name, sha256, status, doc_type, provider, match_name, expiration_date, updated_at, change_seq, summary_json)
       VALUES (@id, @batchId, @fileName, @sha256, @status, @docType, @provider, @matchName, @expirationDate, @updatedAt, @changeSeq, @json)
       ON CONFLICT(id) DO UPDATE SET batch_id = excluded.batch_id, file_name = excluded.file_name, sha256 = excluded.sha256,
         status = excluded.status, doc_type = excluded.doc_type, provider = excluded.provider, match_name = excluded.match_name,
         expiration_date = excluded.expiration_date, updated_at = excluded.updated_at, change_seq = excluded.change_seq, summary_json = excluded.summary_json,
         -- Only the provider match changed (the server keeps updated_at and status then): the
         -- indexed terms still hold, so the document is not read again to re-index them.
         terms_seq = CASE WHEN documents.terms_seq = documents.change_seq AND documents.updated_at = excluded.updated_at
           AND documents.status = excluded.status THEN excluded.change_seq ELSE documents.terms_seq END
       WHERE excluded.change_seq >= documents.change_seq`,
    );
    const updateQueue = this.db.prepare('UPDATE files SET document_status = ? WHERE document_id = ?');
    // Files set to cancelled here commit on their own (FULL), not inside the engine's progress group.
    flushProgress(this.db);
    this.db.transaction(() => {
      for (const d of docs) {
        up.run({ ...d, matchName: d.match?.providerName ?? null, json: JSON.stringify(d) });
        updateQueue.run(d.status, d.id);
      }
      const del = this.db.prepare('DELETE FROM documents WHERE id = ?');
      // The server no longer has it: the queue must not report it uploaded, and a re-import sends it again.
      const forget = this.db.prepare(
        `UPDATE files SET state = 'cancelled', document_id = NULL, document_status = NULL, error_kind = 'not_found',
           error_message = 'Its document was deleted on the server; import it again to re-upload.', updated_at = ?
         WHERE document_id = ? AND state IN ('uploaded', 'duplicate')`,
      );
      const delTerms = this.db.prepare('DELETE FROM document_terms WHERE document_id = ?');
      for (const id of deletedIds) {
        del.run(id);
        delTerms.run(id);
        forget.run(new Date().toISOString(), id);
      }
      this.db
        .prepare(
          "INSERT INTO sync_state (key, value) VALUES ('changes_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .run(String(cursor));
    })();
  }

  get(id: string): DocumentSummary | null {
    const r = this.db.prepare('SELECT summary_json FROM documents WHERE id = ?').get(id) as
      { summary_json: string } | undefined;
    return r ? (JSON.parse(r.summary_json) as DocumentSummary) : null;
  }

  /** Documents whose extracted terms are missing or older than the row (oldest change first). */
  needingTerms(limit: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM documents WHERE status IN ${EXTRACTED} AND (terms_seq IS NULL OR terms_seq < change_seq) ORDER BY change_seq LIMIT ?`,
      )
      .all(limit) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Replaces a document's searchable terms, read at `changeSeq`; a document no longer mirrored is left alone. */
  indexTerms(id: string, changeSeq: number, terms: DocumentTerms): void {
    this.db.transaction(() => {
      const row = this.db
        .prepare('UPDATE documents SET person_name = ?, terms_seq = ? WHERE id = ?')
        .run(terms.person, changeSeq, id);
      this.db.prepare('DELETE FROM document_terms WHERE document_id = ?').run(id);
      if (row.changes === 0) return;
      this.db
        .prepare('INSERT INTO document_terms (document_id, person, numbers, titles) VALUES (?, ?, ?, ?)')
        .run(id, terms.person ?? '', terms.numbers.join(' '), terms.titles.join('\n'));
    })();
  }

  /**
   * Near person-name words for each typed word that starts no indexed word at all (a typo, not a
   * word being typed). The vocabulary comes from FTS5's own term list, as a per-connection view.
   */
  private nameTypos(search: string): (word: string) => readonly string[] {
    const candidates = searchWords(search).filter((w) => allowedEdits(foldWord(w).length) > 0);
    if (candidates.length === 0) return () => [];
    this.db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.document_terms_vocab USING fts5vocab(main, 'document_terms', 'col')",
    );
    const starts = this.db.prepare('SELECT 1 FROM temp.document_terms_vocab WHERE term >= ? AND term < ? LIMIT 1');
    const missing = candidates.filter((w) => {
      const f = foldWord(w);
      return !starts.get(f, `${f}\u{10FFFF}`);
    });
    if (missing.length === 0) return () => [];
    const names = (
      this.db.prepare("SELECT term FROM temp.document_terms_vocab WHERE col = 'person'").all() as { term: string }[]
    ).map((r) => r.term);
    const near = new Map(missing.map((w) => [w, nearWords(w, names)]));
    return (word) => near.get(word) ?? [];
  }

  countByStatus(ids?: readonly string[]): Partial<Record<DocumentStatus, number>> {
    const out: Partial<Record<DocumentStatus, number>> = {};
    if (ids) {
      for (const id of ids) {
        const d = this.get(id);
        if (d) out[d.status] = (out[d.status] ?? 0) + 1;
      }
      return out;
    }
    for (const r of this.db.prepare('SELECT status, count(*) AS n FROM documents GROUP BY status').all() as {
      status: DocumentStatus;
      n: number;
    }[])
      out[r.status] = r.n;
    return out;
  }

  list(q: DocumentQuery): { total: number; items: DocumentListItem[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...v: unknown[]): void => {
      where.push(sql);
      args.push(...v);
    };
    if (q.status) add('status = ?', q.status);
    if (q.docType) add('doc_type = ?', q.docType);
    if (q.batchId) add('batch_id = ?', q.batchId);
    if (q.search) {
      // File names, the upload's provider label and the matched provider's name match anywhere
      // (people type parts of them); extracted terms by word prefix through FTS5.
      const like = `%${escapeLike(q.search)}%`;
      const match = termsMatchQuery(q.search, this.nameTypos(q.search));
      const named = "file_name LIKE ? ESCAPE '\\' OR provider LIKE ? ESCAPE '\\' OR match_name LIKE ? ESCAPE '\\'";
      if (match) {
        add(
          `(${named} OR id IN (SELECT document_id FROM document_terms WHERE document_terms MATCH ?))`,
          like,
          like,
          like,
          match,
        );
      } else {
        add(`(${named})`, like, like, like);
      }
    }
    if (q.expiringWithinDays !== undefined) {
      const until = new Date(Date.now() + q.expiringWithinDays * 86_400_000).toISOString().slice(0, 10);
      add('expiration_date IS NOT NULL AND expiration_date <= ?', until);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const col = SORT_COLUMNS[q.sort ?? 'updatedAt'];
    const dir = q.direction === 'asc' ? 'ASC' : 'DESC';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM documents ${w}`).get(...args) as { n: number }).n;
    const limit = Math.max(0, Math.min(q.limit ?? 100, 1000));
    const rows = this.db
      .prepare(
        `SELECT summary_json, person_name FROM documents ${w} ORDER BY ${col} IS NULL, ${col} ${dir}, id LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, Math.max(0, q.offset ?? 0)) as { summary_json: string; person_name: string | null }[];
    return {
      total,
      items: rows.map((r) => {
        const s = JSON.parse(r.summary_json) as DocumentSummary;
        // Rows mirrored before the server sent matches have none: unmatched until it announces one.
        return { ...s, match: s.match ?? null, personName: r.person_name };
      }),
    };
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
