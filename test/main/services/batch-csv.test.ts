import { describe, expect, it } from 'vitest';
import type { DocumentDetail } from '../../../common/api';
import { batchCsv } from '../../../main/services/batch-csv';

function doc(id: string, over: Partial<DocumentDetail>): DocumentDetail {
  return {
    id,
    batchId: 'b',
    fileName: `${id}.pdf`,
    sizeBytes: 1,
    sha256: 'x',
    status: 'review_pending',
    failureReason: null,
    provider: null,
    docType: 'dea_registration',
    docTypeConfidence: 1,
    pages: 1,
    expirationDate: null,
    minConfidence: null,
    createdAt: 't',
    updatedAt: 't',
    changeSeq: 1,
    extraction: null,
    corrections: {},
    reviewedBy: null,
    reviewedAt: null,
    attempts: 1,
    ...over,
  };
}

const extraction = (fields: Record<string, { value: unknown; confidence: number } | null>) => ({
  docType: 'dea_registration' as const,
  docTypeConfidence: 1,
  pages: 1,
  ocr: false,
  ms: 1,
  warnings: [],
  pipelineVersion: '1',
  createdAt: 't',
  fields: Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      v ? { ...v, page: 1, bbox: [0, 0, 1, 1] as [number, number, number, number] } : null,
    ]),
  ),
});

describe('batch CSV', () => {
  it('keeps headers unique: a license status and a CME provider are not the document status and assigned provider', () => {
    const license = doc('l', {
      docType: 'medical_license',
      status: 'approved',
      provider: 'Dr Assigned',
      extraction: { ...extraction({ status: { value: 'ACTIVE', confidence: 0.95 } }), docType: 'medical_license' },
    });
    const cme = doc('c', {
      docType: 'cme_certificate',
      extraction: { ...extraction({ provider: { value: 'ACCME Org', confidence: 0.9 } }), docType: 'cme_certificate' },
    });
    const [head, licenseRow, cmeRow] = batchCsv([license, cme])
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(new Set(head).size).toBe(head!.length);
    const col = (name: string) => head!.indexOf(name);
    expect([
      licenseRow![col('reviewStatus')],
      licenseRow![col('status')],
      licenseRow![col('assignedProvider')],
    ]).toEqual(['approved', 'ACTIVE', 'Dr Assigned']);
    expect(cmeRow![col('provider')]).toBe('ACCME Org');
    // Both types' fields, each once.
    expect(head!.filter((h) => h === 'npi')).toHaveLength(1);
    expect(head).toContain('licenseNumber');
    expect(head).toContain('activityTitle');
  });

  it('suffixes a stored field whose name repeats a fixed column', () => {
    const odd = doc('o', { corrections: { docType: { value: 'x', by: 'r', at: 't' } } });
    const head = batchCsv([odd]).split('\r\n')[0]!.split(',');
    expect(head.filter((h) => h.startsWith('docType'))).toEqual(['docType', 'docType_2', 'docType_confidence']);
  });

  it('writes one row per document with corrected values winning', () => {
    const csv = batchCsv([
      doc('d1', {
        extraction: extraction({
          deaNumber: { value: 'BM4447783', confidence: 0.9 },
          schedules: { value: ['2', '3'], confidence: 0.8 },
        }),
        corrections: { deaNumber: { value: 'BM4447784', by: 'r', at: 't' } },
      }),
      doc('d2', { status: 'failed', extraction: null }),
    ]);
    const lines = csv.trimEnd().split('\r\n');
    // Every DEA field of the spec has its column, found or not.
    expect(lines[0]).toBe(
      'documentId,fileName,reviewStatus,docType,assignedProvider,reviewedBy,reviewedAt,registrantName,registrantName_confidence,deaNumber,deaNumber_confidence,' +
        'schedules,schedules_confidence,expirationDate,expirationDate_confidence,issueDate,issueDate_confidence,businessActivity,businessActivity_confidence,state,state_confidence,npi,npi_confidence',
    );
    expect(lines[1]).toBe('d1,d1.pdf,review_pending,dea_registration,,,,,,BM4447784,1,2; 3,0.8,,,,,,,,,,');
    expect(lines[2]).toBe('d2,d2.pdf,failed,dea_registration,,,,,,,,,,,,,,,,,,,');
  });

  it('quotes separators and defuses spreadsheet formulas', () => {
    const csv = batchCsv([
      doc('d1', {
        provider: '=HYPERLINK("x")',
        extraction: extraction({ registrantName: { value: 'MORRIS, "DJ"', confidence: 1 } }),
      }),
    ]);
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain('"MORRIS, ""DJ"""');
  });
});
