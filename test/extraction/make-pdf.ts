/** Builds small born-digital test PDFs with pdf-lib: text placed at given points (PDF units, origin top-left). */
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface Placed {
  text: string;
  x: number;
  /** Distance from the top of the page to the baseline. */
  y: number;
  size?: number;
  bold?: boolean;
}

export async function makePdf(pages: Placed[][], size: [number, number] = [612, 792]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const items of pages) {
    const page = doc.addPage(size);
    for (const it of items)
      page.drawText(it.text, { x: it.x, y: size[1] - it.y, size: it.size ?? 11, font: it.bold ? bold : regular });
  }
  return doc.save();
}

/** Rows of label/value pairs, label on the left and value at x=220 (a verification printout). */
export function labelRows(top: number, rows: [string, string][]): Placed[] {
  return rows.flatMap(([label, value], i) => [
    { text: label, x: 60, y: top + i * 20 },
    { text: value, x: 220, y: top + i * 20 },
  ]);
}
