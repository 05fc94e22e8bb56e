/** A scanned-looking license: text drawn on a canvas, rotated 1.5°, noise added, JPEG-compressed at 150 dpi, wrapped in a PDF. */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';

/** A letter page at 150 dpi, in pixels. */
export const W = 1275;
export const H = 1650;

/** A white letter page to draw on, turned by `degrees` about its centre as a skewed scan would be. */
export function blankPage(degrees = 0) {
  const c = createCanvas(W, H);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.translate(W / 2, H / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.translate(-W / 2, -H / 2);
  return { c, ctx };
}

export async function makeScannedLicense(): Promise<Uint8Array> {
  const { c, ctx } = blankPage(1.5);
  ctx.fillStyle = '#111';
  ctx.font = 'bold 34px serif';
  ctx.fillText('STATE OF TEXAS', 420, 150);
  ctx.font = '26px serif';
  ctx.fillText('Texas Medical Board', 460, 200);
  ctx.fillText('Licensee: GARCIA, MARIA ELENA MD', 120, 400);
  ctx.fillText('License Number: Q1234', 120, 450);
  ctx.fillText('Expiration Date: 08/31/2027', 120, 500);
  ctx.fillText('Status: ACTIVE', 120, 550);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return scannedPdf(c, { seed: 7, noise: 60, quality: 70 });
}

/** A drawn letter-size page as a scan: grey noise from a fixed seed, JPEG-compressed, wrapped in a PDF. */
export async function scannedPdf(
  c: Canvas,
  { seed, noise, quality }: { seed: number; noise: number; quality: number },
): Promise<Uint8Array> {
  const ctx = c.getContext('2d');
  const img = ctx.getImageData(0, 0, c.width, c.height);
  let state = seed;
  const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < img.data.length; i += 4) {
    const n = (rnd() - 0.5) * noise;
    for (let k = 0; k < 3; k++) img.data[i + k] = Math.max(0, Math.min(255, (img.data[i + k] ?? 0) + n));
  }
  ctx.putImageData(img, 0, 0);
  const doc = await PDFDocument.create();
  const jpg = await doc.embedJpg(c.toBuffer('image/jpeg', quality));
  doc.addPage([612, 792]).drawImage(jpg, { x: 0, y: 0, width: 612, height: 792 });
  return doc.save();
}

/** A clean page whose text is rotated by `degrees` about the page centre; returns where the expiry date's centre lands. */
export async function makeSkewedPage(degrees: number): Promise<{ pdf: Uint8Array; expiryCentre: [number, number] }> {
  const th = (degrees * Math.PI) / 180;
  const { c, ctx } = blankPage(degrees);
  ctx.fillStyle = '#000';
  ctx.font = '28px serif';
  ctx.fillText('Texas Medical Board', 450, 150);
  ctx.fillText('License Number: Q1234', 100, 400);
  ctx.fillText('Expiration Date:', 700, 400);
  ctx.fillText('08/31/2027', 1000, 400);
  const width = ctx.measureText('08/31/2027').width;
  const [x, y] = [1000 + width / 2, 390];
  const ex = W / 2 + (x - W / 2) * Math.cos(th) - (y - H / 2) * Math.sin(th);
  const ey = H / 2 + (x - W / 2) * Math.sin(th) + (y - H / 2) * Math.cos(th);
  const doc = await PDFDocument.create();
  const png = await doc.embedPng(c.toBuffer('image/png'));
  const page = doc.addPage([612, 792]);
  page.drawImage(png, { x: 0, y: 0, width: 612, height: 792 });
  return { pdf: await doc.save(), expiryCentre: [ex / W, ey / H] };
}
