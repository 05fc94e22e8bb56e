/** One OCR case: a rotated, noisy, JPEG-compressed scan read through the sandbox with offline tesseract data. */
import { describe, expect, it } from 'vitest';
import { isExtractionFailure } from '../../common/extraction';
import { createExtractionSandbox } from '../../server/extraction/sandbox';
import { makeScannedLicense, makeSkewedPage } from './make-scan';

describe('OCR', () => {
  it('reads a slightly rotated noisy scan with word boxes and OCR-aware confidence', async () => {
    const sandbox = createExtractionSandbox({ timeoutMs: 120_000, memoryMb: 512 });
    try {
      const o = (await sandbox.run(await makeScannedLicense())).outcome;
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

  it('puts the highlight of a value on a 2-degree skewed scan where the value is on the page', async () => {
    const sandbox = createExtractionSandbox({ timeoutMs: 120_000, memoryMb: 512 });
    try {
      const { pdf, expiryCentre } = await makeSkewedPage(2);
      const o = (await sandbox.run(pdf)).outcome;
      if (isExtractionFailure(o)) throw new Error(o.error.code);
      expect(o.fields.expirationDate?.value).toBe('2027-08-31');
      const [x0, y0, x1, y1] = o.fields.expirationDate?.bbox ?? [0, 0, 0, 0];
      // Near the right edge a 2-degree turn moves the value by ~0.01 of the page height:
      // the box must follow the rotation, not sit where the unrotated text would be.
      expect(Math.abs((y0 + y1) / 2 - expiryCentre[1])).toBeLessThan(0.004);
      expect(Math.abs((x0 + x1) / 2 - expiryCentre[0])).toBeLessThan(0.02);
    } finally {
      await sandbox.close();
    }
  });
});
