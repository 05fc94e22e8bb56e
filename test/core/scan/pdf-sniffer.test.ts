import { describe, expect, it } from 'vitest';
import { PdfPageSniffer } from '../../../main/core/scan/pdf-sniffer';
import { makePdf } from '../fixtures/make-pdf';

describe('PdfPageSniffer', () => {
  it('counts page objects across chunk boundaries of any size', async () => {
    const bytes = Buffer.from(await makePdf('x', 7));
    for (const size of [1, 3, 17, 31, 32, 33, 64, 65, 4096, bytes.length]) {
      const s = new PdfPageSniffer();
      // One reused buffer, as the hasher reads: the sniffer must not keep a reference to a chunk.
      const shared = Buffer.alloc(size);
      for (let i = 0; i < bytes.length; i += size) {
        const n = bytes.copy(shared, 0, i, i + size);
        s.push(shared.subarray(0, n));
        shared.fill(0x41);
      }
      expect(s.pageCount(), `chunks of ${size}`).toBe(7);
    }
  });

  it('says unknown (null) instead of guessing when no page object is visible', () => {
    const s = new PdfPageSniffer();
    s.push(Buffer.from('%PDF-1.7\n1 0 obj << /Type /ObjStm /N 4 >> stream\nxyz\nendstream'));
    expect(s.pageCount()).toBeNull();
  });
});
