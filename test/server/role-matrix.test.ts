/**
 * Issue 14, finding 12: the role matrix the README's Security section writes down, pinned route
 * by route against the real server: for each route, which of uploader, reviewer and admin are
 * refused (403) and which get past the role check. Cancelling another user's open upload is for
 * admins only, and audited.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterUploadResponse } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes } from '../helpers/upload-client';

type Role = 'uploader' | 'reviewer' | 'admin';
const PASSWORD = 'violet tractor orbit 41';

describe('role matrix', () => {
  let srv: TestServer;
  const token = {} as Record<Role | 'uploader2', string>;
  let docId: string;
  let batchId: string;

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    token.admin = await srv.login();
    for (const [key, role] of [
      ['uploader', 'uploader'],
      ['uploader2', 'uploader'],
      ['reviewer', 'reviewer'],
    ] as const) {
      await srv.addUser({ org: 'Local', email: `${key}@local.test`, password: PASSWORD, role });
      token[key] = await srv.login(`${key}@local.test`, PASSWORD);
    }
    batchId = (await srv.api<{ id: string }>(token.uploader, 'POST', '/batches', { name: 'matrix' })).body.id;
    docId = (await uploadBytes(srv, token.uploader, await makePdf('matrix'), { batchId })).documentId;
  });
  afterAll(async () => {
    await srv.stop();
  });

  /** Each role in turn (admin last, so a destructive route it may use runs after the refusals); true where refused with 403. */
  async function refusedFor(method: string, route: string, body?: unknown): Promise<Record<Role, boolean>> {
    const out = {} as Record<Role, boolean>;
    for (const role of ['uploader', 'reviewer', 'admin'] as const) {
      const res = await srv.api<{ error?: { code: string } }>(token[role], method, route, body);
      out[role] = res.status === 403;
      if (out[role]) expect(res.body.error?.code).toBe('forbidden');
    }
    return out;
  }
  const everyone = { uploader: false, reviewer: false, admin: false };
  const reviewers = { uploader: true, reviewer: false, admin: false };
  const adminsOnly = { uploader: true, reviewer: true, admin: false };

  it('reading: documents for every role, the audit log for reviewers, its verification for admins', async () => {
    expect(await refusedFor('GET', '/batches')).toEqual(everyone);
    expect(await refusedFor('GET', `/batches/${batchId}`)).toEqual(everyone);
    expect(await refusedFor('GET', '/changes?since=0')).toEqual(everyone);
    expect(await refusedFor('GET', `/documents/${docId}`)).toEqual(everyone);
    expect(await refusedFor('GET', `/documents/${docId}/content-url`)).toEqual(everyone);
    expect(await refusedFor('GET', '/audit')).toEqual(reviewers);
    expect(await refusedFor('GET', '/audit/verify')).toEqual(adminsOnly);
  });

  it('changing: review and reprocess one for reviewers; reprocess all and deletes for admins', async () => {
    expect(await refusedFor('POST', '/batches', { name: 'another' })).toEqual(everyone);
    expect(await refusedFor('PATCH', `/documents/${docId}`, { decision: 'approve' })).toEqual(reviewers);
    expect(await refusedFor('POST', `/documents/${docId}/reprocess`)).toEqual(reviewers);
    expect(await refusedFor('POST', '/reprocess', { scope: 'failed' })).toEqual(adminsOnly);
    expect(await refusedFor('DELETE', `/documents/${docId}`)).toEqual(adminsOnly);
    expect(await refusedFor('DELETE', `/batches/${batchId}`)).toEqual(adminsOnly);
  });

  it("lets only an upload's starter or an admin cancel it, and audits an admin's cancel", async () => {
    const register = async (t: string) => {
      const bytes = crypto.randomBytes(64);
      const res = await srv.api<RegisterUploadResponse>(t, 'POST', '/uploads', {
        fileName: 'open.pdf',
        sizeBytes: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      });
      expect(res.status).toBe(201);
      return (res.body as { uploadId: string }).uploadId;
    };
    const theirs = await register(token.uploader);
    for (const other of ['uploader2', 'reviewer'] as const) {
      const res = await srv.api<{ error: { code: string; message: string } }>(
        token[other],
        'DELETE',
        `/uploads/${theirs}`,
      );
      expect(res).toMatchObject({
        status: 403,
        body: {
          error: {
            code: 'forbidden',
            message: expect.stringMatching(/started by another user; only they or an admin/),
          },
        },
      });
    }
    expect((await srv.api(token.admin, 'DELETE', `/uploads/${theirs}`)).status).toBe(204);
    const events = (
      await srv.api<{ events: Array<{ action: string; actor: string; details: Record<string, unknown> }> }>(
        token.admin,
        'GET',
        '/audit?limit=5',
      )
    ).body.events;
    const me = (await srv.api<{ id: string }>(token.uploader, 'GET', '/auth/me')).body;
    expect(events[0]).toMatchObject({
      action: 'upload.aborted',
      actor: 'local@credmate.localhost',
      details: { uploadId: theirs, startedBy: me.id },
    });

    // One's own: any role, not audited (a cancel is routine).
    const own = await register(token.uploader2);
    expect((await srv.api(token.uploader2, 'DELETE', `/uploads/${own}`)).status).toBe(204);
    const after = (await srv.api<{ events: Array<{ action: string }> }>(token.admin, 'GET', '/audit?limit=1')).body
      .events;
    expect(after[0]?.action).toBe('upload.aborted');
    expect(
      (await srv.api<{ events: unknown[] }>(token.admin, 'GET', '/audit?limit=100')).body.events.filter(
        (e) => (e as { action: string }).action === 'upload.aborted',
      ),
    ).toHaveLength(1);
  });
});
