/**
 * Issue 14, finding 12: `credmate import --server` needs no password on the command line; on a
 * terminal it asks for it (not echoed) and signs in with what was typed. Real server, real
 * pseudo-terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../helpers/pdf-fixtures';
import { runOnTerminal } from '../helpers/terminal';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('credmate import: the password asked on a terminal', () => {
  let srv: TestServer;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-import-prompt-'));
  const SECRET = 'importer-password-1';

  beforeAll(async () => {
    srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    await srv.addUser({ org: 'Clinic', email: 'importer@clinic.test', password: SECRET, role: 'uploader' });
    fs.mkdirSync(path.join(tmp, 'pdfs'));
    fs.writeFileSync(path.join(tmp, 'pdfs', 'one.pdf'), await makePdf('prompted import'));
  });
  afterAll(async () => {
    await srv.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('signs in with the typed password and uploads', async () => {
    const args = [
      'import',
      path.join(tmp, 'pdfs'),
      '--server',
      srv.apiUrl,
      '--email',
      'importer@clinic.test',
      '--data-dir',
      path.join(tmp, 'data'),
      '--json',
    ];
    const out = await runOnTerminal(args, [{ after: /Password for importer@clinic\.test at /, type: `${SECRET}\r` }]);
    expect(out.code).toBe(0);
    expect(out.output).not.toContain(SECRET);
    const token = await srv.login('importer@clinic.test', SECRET);
    const feed = await srv.api<{ documents: Array<{ id: string }> }>(token, 'GET', '/changes?since=0&limit=10');
    expect(feed.body.documents).toHaveLength(1);
  });
});
