/** One OCR case: a rotated, noisy, JPEG-compressed scan read through the sandbox with offline tesseract data. */
import { describe, expect, it } from 'vitest';
import { isExtractionFailure } from '../../common/extraction';
import { createExtractionSandbox } from '../../server/extraction/sandbox';
import { makeScannedLicense } from './make-scan';

describe('OCR', () => {
  it('reads a slightly rotated noisy scan with word boxes and OCR-aware confidence', async () => {
    const sandbox = createExtractionSandbox({ timeoutMs: 120_000, memoryMb: 512 });
    try {
      const o = await sandbox.run(await makeScannedLicense());
      if (isExtractionFailure(o)) throw new Error(o.error.code);
      expect(o.ocr).toBe(true);
      expect(o.docType).toBe('medical_license');
      expect(o.fields.licenseeName?.value).toBe('MARIA ELENA GARCIA');
      expect(o.fields.licenseNumber?.value).toBe('Q1234');
      expect(o.fields.expirationDate?.value).toBe('2027-08-31');
      expect(o.fields.status?.value).toBe('ACTIVE');
      expect(o.fields.state?.value).toBe('TX');
      // Drawn at y=500 px of 1650 (about 0.30 of the page), left third.
      const box = o.fields.expirationDate?.bbox ?? [0, 0, 0, 0];
      expect(box[1]).toBeGreaterThan(0.26);
      expect(box[3]).toBeLessThan(0.34);
      expect(box[0]).toBeLessThan(0.4);
      // OCR values never claim the certainty of a text layer.
      expect(o.fields.licenseNumber?.confidence).toBeLessThan(0.99);
    } finally {
      await sandbox.close();
    }
  });
});
