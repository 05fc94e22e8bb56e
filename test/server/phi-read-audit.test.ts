import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangesResponse, DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

type AuditEvents = {
  events: Array<{ id: number; action: string; documentId: string | null; details: Record<string, unknown> }>;
};

/** Every response carrying extracted values or content is audited, one event per request (issue 14, finding 6). */
describe('audit of PHI reads', () => {
  let srv: TestServer;
  let token: string;
  let documentId: string;
  let pdf: Uint8Array;

  const eventsSince = async (afterId: number) =>
    (await srv.api<AuditEvents>(token, 'GET', '/audit?limit=1000')).body.events.filter((e) => e.id > afterId).reverse();
  const lastEventId = async () => (await srv.api<AuditEvents>(token, 'GET', '/audit?limit=1')).body.events[0]?.id ?? 0;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    pdf = await makePdf('audited reads', 1);
    documentId = (await uploadBytes(srv, token, pdf)).documentId;
    // Waited on in the database: reading the document through the API would itself be audited.
    await waitFor(async () => {
      const rows = openServerRows(srv);
      const row = await rows.get<{ status: string }>('SELECT status FROM documents WHERE id = ?', documentId);
      await rows.close();
      return row?.status === 'review_pending' ? true : undefined;
    });
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('audits each read of a document, naming it', async () => {
    const before = await lastEventId();
    for (let i = 0; i < 2; i++)
      expect((await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body.extraction).not.toBeNull();
    expect((await eventsSince(before)).map((e) => [e.action, e.documentId])).toEqual([
      ['document.read', documentId],
      ['document.read', documentId],
    ]);
  });

  it('audits each page of the change feed that lists documents, once, with their ids; an empty page is not a read', async () => {
    const before = await lastEventId();
    const page = (await srv.api<ChangesResponse>(token, 'GET', '/changes?since=0')).body;
    expect(page.documents.map((d) => d.id)).toEqual([documentId]);
    const empty = (await srv.api<ChangesResponse>(token, 'GET', `/changes?since=${page.cursor}`)).body;
    expect(empty.documents).toEqual([]);
    expect((await eventsSince(before)).map((e) => [e.action, e.documentId, e.details])).toEqual([
      ['documents.listed', documentId, {}],
    ]);
  });

  it('serves the PDF through the API, auditing every download', async () => {
    const before = await lastEventId();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${srv.apiUrl}/api/v1/documents/${documentId}/content`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
    }
    expect((await eventsSince(before)).map((e) => [e.action, e.documentId])).toEqual(
      Array(3).fill(['document.content_read', documentId]),
    );
    expect((await srv.api<{ ok: boolean }>(token, 'GET', '/audit/verify')).body.ok).toBe(true);
  });
});
