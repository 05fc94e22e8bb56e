import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchStats, DocumentDetail } from '../../common/api';
import type { DocumentText } from '../../common/extraction';
import { derivedTextKeyFor } from '../../server/storage/object-keys';
import { makePdf } from '../helpers/pdf-fixtures';
import { objectExists, storeClient } from '../helpers/server-db';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { dropGuards } from '../support/audit-tamper';
import { uploadBytes, waitFor } from '../helpers/upload-client';

describe('batches, review and the audit trail', () => {
  let srv: TestServer;
  let token: string;
  let batch: BatchStats;
  const docs: string[] = [];

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    batch = (await srv.api<BatchStats>(token, 'POST', '/batches', { name: 'import 1', expectedFiles: 3 })).body;
    for (const label of ['b-1', 'b-2'])
      docs.push((await uploadBytes(srv, token, await makePdf(label), { batchId: batch.id })).documentId);
    docs.push(
      (await uploadBytes(srv, token, new TextEncoder().encode('plain text, not a PDF at all'), { batchId: batch.id }))
        .documentId,
    );
    await waitFor(
      async () => {
        const s = (await srv.api<BatchStats>(token, 'GET', `/batches/${batch.id}`)).body;
        return s.counts.review_pending === 2 && s.counts.failed === 1 ? s : undefined;
      },
      60_000,
      'batch processed',
    );
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('reports counts by status, success rate, mean processing time and mean confidence', async () => {
    const s = (await srv.api<BatchStats>(token, 'GET', `/batches/${batch.id}`)).body;
    expect(s.total).toBe(3);
    expect(s.counts).toMatchObject({ review_pending: 2, failed: 1, uploaded: 0, processing: 0 });
    expect(s.successRate).toBeCloseTo(2 / 3);
    expect(s.meanProcessingMs).toBeGreaterThan(0);
    const list = (await srv.api<{ batches: BatchStats[] }>(token, 'GET', '/batches')).body.batches;
    expect(list.map((b) => b.id)).toContain(batch.id);
  });

  it('applies corrections and a decision, audits it, and audits each content read', async () => {
    const id = docs[0]!;
    // An "unknown" document has one field, npi (review-fields.test.ts corrects a typed document's fields).
    const res = await srv.api<DocumentDetail>(token, 'PATCH', `/documents/${id}`, {
      fields: { npi: null },
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    expect(res.body.corrections.npi).toMatchObject({ value: null, by: 'local@credmate.localhost' });
    const rejectNoReason = await srv.api(token, 'PATCH', `/documents/${docs[1]}`, { decision: 'reject' });
    expect(rejectNoReason.status).toBe(400);
    const failedReview = await srv.api(token, 'PATCH', `/documents/${docs[2]}`, { decision: 'approve' });
    expect(failedReview.status).toBe(409);

    const url = (await srv.api<{ url: string }>(token, 'GET', `/documents/${id}/content-url`)).body.url;
    const pdf = await fetch(url);
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');

    // The text the worker read, stored beside the PDF: also a read of the document's content.
    const text = await srv.api<DocumentText>(token, 'GET', `/documents/${id}/text`);
    expect(text.status).toBe(200);
    expect(text.body.pages).toEqual([
      { page: 1, source: 'text', text: expect.stringContaining('Synthetic test document b-1, page 1 of 1.') },
    ]);
    // The non-PDF was never read: nothing stored, and the answer says why.
    const none = await srv.api<{ error: { code: string; message: string } }>(
      token,
      'GET',
      `/documents/${docs[2]}/text`,
    );
    expect(none).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: expect.stringContaining('failed') } },
    });

    const events = (
      await srv.api<{ events: Array<{ action: string; documentId: string | null }> }>(
        token,
        'GET',
        `/audit?documentId=${id}`,
      )
    ).body.events;
    expect(events.map((e) => e.action)).toEqual([
      'document.text_read',
      'document.content_read',
      'document.read',
      'document.reviewed',
      'document.uploaded',
    ]);
  });

  it('verifies the chain, and detects a changed row, a deleted row and a deleted tail', async () => {
    const verified = async () => (await srv.api(token, 'GET', '/audit/verify')).body;
    expect(await verified()).toMatchObject({ ok: true, firstBadId: null });
    const db = openServerRows(srv);
    try {
      const rows = await db.all<{ id: number; details_json: string }>(
        'SELECT id, details_json FROM audit_events ORDER BY id',
      );
      const middle = rows[2]!;
      // The table refuses changes (audit-keyed-chain.test.ts); whoever holds the database can drop that guard.
      await dropGuards(db, srv.database);
      await db.run('UPDATE audit_events SET actor = ? WHERE id = ?', 'someone-else', middle.id);
      expect(await verified()).toMatchObject({ ok: false, firstBadId: middle.id });
      await db.run('UPDATE audit_events SET actor = ? WHERE id = ?', 'local@credmate.localhost', middle.id);
      expect(await verified()).toMatchObject({ ok: true });

      const saved = (await db.get<Record<string, unknown>>('SELECT * FROM audit_events WHERE id = ?', middle.id))!;
      await db.run('DELETE FROM audit_events WHERE id = ?', middle.id);
      expect(await verified()).toMatchObject({ ok: false, firstBadId: rows[3]!.id });
      const columns = ['id', 'org_id', 'at', 'actor', 'action', 'document_id', 'details_json', 'prev_hash', 'hash'];
      await db.run(
        `INSERT INTO audit_events (${columns.join(', ')}, chain_version) VALUES (${columns.map(() => '?').join(', ')}, ?)`,
        ...columns.map((c) => saved[c]),
        saved.chain_version,
      );

      const last = rows.at(-1)!;
      await db.run('DELETE FROM audit_events WHERE id = ?', last.id);
      expect(await verified()).toMatchObject({ ok: false, firstBadId: last.id });
    } finally {
      await db.close();
    }
  });

  it('deletes a batch: objects, documents, jobs and extractions go, and the delete is audited', async () => {
    const db = openServerRows(srv);
    const rows = await db.all<{ object_key: string; status: string }>(
      'SELECT object_key, status FROM documents WHERE batch_id = ?',
      batch.id,
    );
    const s3 = storeClient(srv);
    expect(rows).toHaveLength(3);
    // The two extracted documents' text artifacts go with them.
    const keys = [
      ...rows.map((r) => r.object_key),
      ...rows.filter((r) => r.status !== 'failed').map((r) => derivedTextKeyFor(r.object_key)),
    ];
    expect(keys).toHaveLength(5);
    for (const k of keys) expect(await objectExists(s3, srv.s3.bucket, k)).toBe(true);

    const res = await srv.api<{ deleted: { documents: number; objects: number } }>(
      token,
      'DELETE',
      `/batches/${batch.id}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.deleted).toEqual({ documents: 3, objects: 3 });
    for (const k of keys) expect(await objectExists(s3, srv.s3.bucket, k)).toBe(false);
    for (const id of docs) expect((await srv.api(token, 'GET', `/documents/${id}`)).status).toBe(404);
    expect((await srv.api(token, 'GET', `/batches/${batch.id}`)).status).toBe(404);
    const count = async (sql: string) => Number((await db.get<{ n: number }>(sql, ...docs))!.n);
    expect(await count('SELECT COUNT(*) AS n FROM extractions WHERE document_id IN (?, ?, ?)')).toBe(0);
    // On PostgreSQL `jobs` is only the outbox to pg-boss, whose finished deliveries of these documents
    // (ids only) stay in pgboss.job until its own retention removes them: a known gap, not covered here.
    expect(await count('SELECT COUNT(*) AS n FROM jobs WHERE document_id IN (?, ?, ?)')).toBe(0);
    await db.close();
    const feed = (
      await srv.api<{ documents: Array<{ id: string }>; deletedIds: string[] }>(
        token,
        'GET',
        '/changes?since=0&limit=1000',
      )
    ).body;
    expect([...feed.deletedIds].sort()).toEqual([...docs].sort());
    expect(feed.documents.filter((d) => docs.includes(d.id))).toEqual([]);
    const events = (
      await srv.api<{ events: Array<{ action: string; details: Record<string, unknown> }> }>(
        token,
        'GET',
        '/audit?limit=1',
      )
    ).body.events;
    expect(events[0]).toMatchObject({ action: 'batch.deleted', details: { batchId: batch.id, documents: 3 } });
  });
});
