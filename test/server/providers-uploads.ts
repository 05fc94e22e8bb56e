/**
 * Real documents for the providers API and CLI tests: generated credential PDFs uploaded and
 * extracted by the real server, then approved with a reviewer's corrections, so that three
 * documents name one person in three ways (the extraction itself is tested elsewhere).
 */
import type { DocumentDetail } from '../../common/api';
import { makeCredentialPdf } from '../helpers/credential-pdf';
import type { TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';
import { deaFrom, npiFrom } from './providers-fixture';

export const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
export const SEHGAL_NPI = npiFrom('145678901');
export const SEHGAL_DEA = deaFrom('AS', '583672');

async function uploadReviewed(
  srv: TestServer,
  token: string,
  layout: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const { documentId } = await uploadBytes(srv, token, (await makeCredentialPdf(layout)).bytes, {
    fileName: `${layout}.pdf`,
  });
  await waitFor(
    async () =>
      (await srv.api<DocumentDetail>(token, 'GET', `/documents/${documentId}`)).body.status === 'review_pending'
        ? true
        : undefined,
    90_000,
    `extraction of ${layout}`,
  );
  const res = await srv.api(token, 'PATCH', `/documents/${documentId}`, { fields, decision: 'approve' });
  if (res.status !== 200) throw new Error(`review of ${layout}: ${res.status} ${JSON.stringify(res.body)}`);
  return documentId;
}

/** A certificate that names its participant only as "A. Sehgal": a weak match, left for a coordinator to confirm. */
export function uploadWeakSehgalCertificate(srv: TestServer, token: string): Promise<string> {
  return uploadReviewed(srv, token, 'cme-aafp-certificate', {
    participantName: 'A. Sehgal',
    activityTitle: 'Sepsis Update',
    completionDate: day(-10),
    credits: 1,
    creditType: 'AMA_PRA_1',
  });
}

export async function uploadSehgalDocuments(srv: TestServer, token: string): Promise<string[]> {
  const docs: Array<[string, Record<string, unknown>]> = [
    [
      'license-verification-printout',
      {
        licenseeName: 'SEHGAL, ASHOK K.',
        state: 'OH',
        licenseNumber: '35.123456',
        expirationDate: day(45),
        npi: SEHGAL_NPI,
      },
    ],
    [
      'dea-223-certificate',
      { registrantName: 'Ashok K. Sehgal, MD', deaNumber: SEHGAL_DEA, state: 'OH', expirationDate: day(20) },
    ],
    [
      'cme-ama-certificate',
      {
        participantName: 'Ashok Sehgal',
        activityTitle: 'Duty to Report Misconduct',
        completionDate: day(-30),
        credits: 2,
        creditType: 'AMA_PRA_1',
      },
    ],
  ];
  const ids: string[] = [];
  for (const [layout, fields] of docs) ids.push(await uploadReviewed(srv, token, layout, fields));
  return ids;
}
