import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { batchCsv } from '../../main/services/batch-csv';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import { makePdf } from '../helpers/pdf-fixtures';
import { openServerRows } from '../helpers/server-rows';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

type Err = { error: { code: string; message: string } };

/**
 * Reviews correct only the fields a document's type has, and the CSV export defuses every cell
 * a spreadsheet would run as a formula, its header included (issue 14, finding 9).
 */
describe('review field names and the CSV export', () => {
  let srv: TestServer;
  let token: string;
  let license: string;
  let unknown: string;

  beforeAll(async () => {
    srv = await startTestServer();
    token = await srv.login();
    license = (
      await uploadBytes(srv, token, (await makeCredentialPdf('license-verification-printout')).bytes, {
        fileName: 'license.pdf',
      })
    ).documentId;
    unknown = (await uploadBytes(srv, token, await makePdf('not a credential'), { fileName: 'other.pdf' })).documentId;
    for (const id of [license, unknown]) {
      await waitFor(
        async () =>
          (await srv.api<DocumentDetail>(token, 'GET', `/documents/${id}`)).body.status === 'review_pending'
            ? true
            : undefined,
        60_000,
      );
    }
  });
  afterAll(async () => {
    await srv.stop();
  });

  it("corrects a medical license's own fields; a corrected expiration date wins over the extracted one", async () => {
    expect((await srv.api<DocumentDetail>(token, 'GET', `/documents/${license}`)).body.docType).toBe('medical_license');
    const res = await srv.api<DocumentDetail>(token, 'PATCH', `/documents/${license}`, {
      fields: { expirationDate: '2030-01-31', licenseNumber: null },
      decision: 'approve',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', expirationDate: '2030-01-31' });
    expect(res.body.corrections.expirationDate).toMatchObject({ value: '2030-01-31', by: 'local@credmate.localhost' });
    expect(res.body.corrections.licenseNumber?.value).toBeNull();
  });

  it('answers 400 to a correction of a field the type does not have, and stores nothing of it', async () => {
    const formula = await srv.api<Err>(token, 'PATCH', `/documents/${license}`, {
      fields: { '=HYPERLINK("http://evil.test","x")': 'a' },
    });
    expect(formula.status).toBe(400);
    expect(formula.body.error.message).toMatch(
      /A medical_license document has no field .*; correct only its fields: licenseeName, state, licenseNumber/,
    );
    const otherType = await srv.api<Err>(token, 'PATCH', `/documents/${unknown}`, {
      fields: { licenseNumber: 'MD-1' },
      decision: 'approve',
    });
    expect(otherType.status).toBe(400);
    expect(otherType.body.error.message).toMatch(
      /An? unknown document has no field "licenseNumber"; correct only its fields: npi/,
    );
    const after = (await srv.api<DocumentDetail>(token, 'GET', `/documents/${unknown}`)).body;
    expect(after).toMatchObject({ status: 'review_pending', corrections: {} });
  });

  it('exports cells starting with =, +, -, @, tab or CR neutralised, field names in the header included', async () => {
    // Corrections as an older version stored them: any field name, any value.
    const db = openServerRows(srv);
    const legacy = { '=cmd|calc': 'x', npi: '+1+2', note: '-2', at: '@SUM(A1)', tab: '\tx', cr: '\rx', fine: 'plain' };
    await db.run(
      'UPDATE documents SET corrections_json = ? WHERE id = ?',
      JSON.stringify(Object.fromEntries(Object.entries(legacy).map(([k, v]) => [k, { value: v, by: 'old', at: '' }]))),
      unknown,
    );
    await db.close();
    const detail = (await srv.api<DocumentDetail>(token, 'GET', `/documents/${unknown}`)).body;
    const [header, row] = batchCsv([detail]).split('\r\n');
    expect(header!.split(',')).toContain("'=cmd|calc");
    expect(header).not.toMatch(/(^|,)=/);
    for (const cell of ["'+1+2", "'-2", "'@SUM(A1)", "'\tx", 'plain']) expect(row!.split(',')).toContain(cell);
    expect(row).toContain(`"'\rx"`);
    expect(row).not.toMatch(/(^|,)[=+\-@\t\r]/);
  });
});
