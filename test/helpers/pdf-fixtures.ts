import crypto from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * A small real PDF with `pages` pages; `label` makes its bytes (and SHA-256) unique, and the same
 * label gives the same bytes (no creation date), so duplicate tests never straddle a clock tick.
 * Synthetic text only, no PHI.
 */
export async function makePdf(label: string, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([612, 792]);
    // Enough text-layer text that extraction reads it directly instead of falling back to OCR.
    page.drawText(`Synthetic test document ${label}, page ${i + 1} of ${pages}.`, { x: 72, y: 700, size: 14, font });
    page.drawText('This page carries a text layer for the upload and queue tests.', { x: 72, y: 680, size: 12, font });
  }
  return doc.save({ useObjectStreams: false });
}

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
