import { describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../../common/api';
import { batchCsv } from '../../../main/services/batch-csv';

function doc(id: string, over: Partial<DocumentDetail>): DocumentDetail {
  return {
    id, batchId: 'b', fileName: `${id}.pdf`, sizeBytes: 1, sha256: 'x', status: 'review_pending', failureReason: null, provider: null,
    docType: 'dea_registration', docTypeConfidence: 1, pages: 1, expirationDate: null, minConfidence: null, createdAt: 't', updatedAt: 't', changeSeq: 1,
    extraction: null, corrections: {}, reviewedBy: null, reviewedAt: null, attempts: 1, ...over,
  };
}

const extraction = (fields: Record<string, { value: unknown; confidence: number } | null>) => ({
  docType: 'dea_registration' as const, docTypeConfidence: 1, pages: 1, ocr: false, ms: 1, warnings: [], pipelineVersion: '1', createdAt: 't',
  fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ? { ...v, page: 1, bbox: [0, 0, 1, 1] as [number, number, number, number] } : null])),
});

describe('batch CSV', () => {
  it('writes one row per document with corrected values winning', () => {
    const csv = batchCsv([
      doc('d1', { extraction: extraction({ deaNumber: { value: 'BM4447783', confidence: 0.9 }, schedules: { value: ['2', '3'], confidence: 0.8 } }), corrections: { deaNumber: { value: 'BM4447784', by: 'r', at: 't' } } }),
      doc('d2', { status: 'failed', extraction: null }),
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('documentId,fileName,status,docType,provider,reviewedBy,reviewedAt,deaNumber,deaNumber_confidence,schedules,schedules_confidence');
    expect(lines[1]).toBe('d1,d1.pdf,review_pending,dea_registration,,,,BM4447784,1,2; 3,0.8');
    expect(lines[2]).toBe('d2,d2.pdf,failed,dea_registration,,,,,,,');
  });

  it('quotes separators and defuses spreadsheet formulas', () => {
    const csv = batchCsv([doc('d1', { provider: '=HYPERLINK("x")', extraction: extraction({ registrantName: { value: 'MORRIS, "DJ"', confidence: 1 } }) })]);
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain('"MORRIS, ""DJ"""');
  });
});
