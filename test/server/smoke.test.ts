import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { makePdf } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

describe('upload round trip through the embedded store', () => {
  let srv: TestServer;
  let token: string;
  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
  });

  it('registers, uploads, completes with 202 and extracts the page count', async () => {
    const pdf = await makePdf('round-trip', 3);
    const up = await uploadBytes(srv, token, pdf);
    expect(up.register.status).toBe(201);
    expect(up.complete?.status).toBe(202);
    const doc = await waitFor(async () => {
      const r = await srv.api<DocumentDetail>(token, 'GET', `/documents/${up.documentId}`);
      return r.body.status === 'review_pending' ? r.body : undefined;
    });
    expect(doc.pages).toBe(3);
    expect(doc.extraction?.pages).toBe(3);
  });
});
