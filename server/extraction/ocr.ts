/**
 * Stage 3: OCR for pages without a usable text layer. Renders the page with pdf.js onto
 * pdf.js's own @napi-rs/canvas (mixing two canvas builds breaks Path2D fills), then runs
 * tesseract.js with the offline English model from @tesseract.js-data/eng. One tesseract
 * worker is kept per thread and reused across documents.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';
import { createWorker, type Block, type Worker as TesseractWorker } from 'tesseract.js';
import { binarise, greyLevels, inkMask, inkShare, invertDarkBands, removeRules } from './ocr-preprocess';
import { removeSpecks } from './ocr-specks';
import { acceptReread, cropWord, wordsToReread, type GreyPage } from './ocr-reread-words';
import { acceptScheduleReread, isCompleteSchedule, rereadScheduleCells, scheduleCells } from './ocr-reread';
import { readCheckBoxSchedules } from './checkbox-schedules';
import type { InkMask } from './roman-glyphs';
import type { Word } from './types';

// Not named `require`: electron-vite's ESM output declares its own `require` shim in the same scope.
const cjsRequire = createRequire(import.meta.url);
const langPath = path.join(path.dirname(cjsRequire.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

export const OCR_DPI = Number(process.env.CREDMATE_OCR_DPI) || 250;
/** A page whose shorter side is under 4 inches is a card. */
const CARD_MAX_SIDE_PT = 4 * 72;
/** Above this many pixels the page is rendered at a lower resolution (poster-sized pages). */
const MAX_PIXELS = 7_000_000;

let workerPromise: Promise<TesseractWorker> | undefined;

function getWorker(): Promise<TesseractWorker> {
  workerPromise ??= createWorker('eng', 1, {
    langPath,
    gzip: true,
    cachePath: path.join(os.tmpdir(), 'credmate-tesseract'),
    // The model comes from node_modules every time: nothing to cache, nothing fetched.
    cacheMethod: 'none',
    logger: () => undefined,
    errorHandler: () => undefined,
  }).catch((err: unknown) => {
    workerPromise = undefined;
    throw err;
  });
  return workerPromise;
}

/** Ends this thread's tesseract worker (the sandbox calls it before the thread exits). */
export async function disposeOcr(): Promise<void> {
  const pending = workerPromise;
  workerPromise = undefined;
  if (pending) await (await pending).terminate().catch(() => undefined);
}

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
  dpi: number;
  /** Share of dark pixels. */
  ink: number;
  /** The ink of the image tesseract reads (after preprocessing). */
  mask: InkMask;
  /** The page as rendered, in grey levels (dark bands already inverted), for re-reading unsure words. */
  grey: GreyPage;
}

export async function renderPage(doc: PDFDocumentProxy, page: PDFPageProxy): Promise<RenderedPage> {
  const base = page.getViewport({ scale: 1 });
  // Wallet and pocket cards print in 5-7 pt type: on a card-sized page, twice the resolution
  // gives tesseract letters of the height it reads best.
  const card = Math.min(base.width, base.height) < CARD_MAX_SIDE_PT;
  let scale = (OCR_DPI / 72) * (card ? 2 : 1);
  const area = base.width * base.height * scale * scale;
  if (area > MAX_PIXELS) scale *= Math.sqrt(MAX_PIXELS / area);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const factory = (doc as unknown as { canvasFactory: CanvasFactoryLike }).canvasFactory;
  const { canvas, context } = factory.create(width, height);
  // Scans are read better on white than on a transparent (black once flattened) background.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<PDFPageProxy['render']>[0])
    .promise;
  const pixels = context.getImageData(0, 0, width, height);
  invertDarkBands(pixels.data, width, height);
  const grey = greyLevels(pixels.data, width, height);
  binarise(pixels.data, width, height, { dpi: scale * 72, faintPrint: card });
  removeSpecks(pixels.data, width, height, scale * 72);
  // Measured after the paper is whitened, so scanner noise on a blank page does not count as ink.
  const ink = inkShare(pixels.data);
  removeRules(pixels.data, width, height, scale * 72);
  context.putImageData(pixels, 0, 0);
  const mask = inkMask(pixels.data, width, height);
  const png = canvas.toBuffer('image/png');
  factory.destroy({ canvas, context });
  return { png, width, height, dpi: Math.round(scale * 72), ink, mask, grey };
}

interface CanvasLike {
  width: number;
  height: number;
  toBuffer(mime: 'image/png'): Buffer;
}
interface PixelsLike {
  data: Uint8ClampedArray;
}
interface ContextLike {
  getImageData(x: number, y: number, w: number, h: number): PixelsLike;
  putImageData(pixels: PixelsLike, x: number, y: number): void;
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
}
interface CanvasFactoryLike {
  create(w: number, h: number): { canvas: CanvasLike; context: ContextLike };
  destroy(pair: { canvas: CanvasLike; context: ContextLike }): void;
}

export interface OcrPage {
  words: Word[];
  /** Skew tesseract detected and corrected, in degrees. */
  skewDegrees: number;
}

/** Below this share of dark pixels a page is blank (or specks): tesseract would only invent text, slowly. */
const MIN_INK = 0.0002;

/**
 * Recognises one rendered page; word boxes are mapped back to the unrotated page. Schedule
 * cells tesseract could not read are then read from the ink (ocr-reread).
 */
export async function recognise(image: RenderedPage, pageNumber: number): Promise<OcrPage> {
  if (image.ink < MIN_INK) return { words: [], skewDegrees: 0 };
  const worker = await getWorker();
  // Light text on dark bands is inverted before recognition (invertDarkBands): tesseract's own
  // second try of every line inverted costs time and finds nothing more.
  await worker.setParameters({
    user_defined_dpi: String(image.dpi),
    preserve_interword_spaces: '0',
    tessedit_do_invert: '0',
  });
  const result = await worker.recognize(image.png, { rotateAuto: true }, { blocks: true, text: false });
  const angle = result.data.rotateRadians ?? 0;
  const words = await rereadUnsureWords(worker, image, wordsOf(result.data.blocks, image, angle, pageNumber));
  const boxed = await readCheckBoxSchedules(words, image.mask, (pgm) => readNumeral(worker, image, pgm));
  const inked = rereadScheduleCells(boxed, image.mask);
  return { words: await rereadScheduleCrops(worker, image, inked), skewDegrees: (angle * 180) / Math.PI };
}

/**
 * Schedule cells still not read completely, read again from their own crop of the page as
 * rendered, enlarged: faint thin digits ("2 2N 3 3N 4 5") that the page's one threshold broke
 * into letters ("2ANIINGS"). What may replace a cell: acceptScheduleReread.
 */
async function rereadScheduleCrops(worker: TesseractWorker, image: RenderedPage, words: Word[]): Promise<Word[]> {
  let out = words;
  for (const cell of scheduleCells(words).filter((c) => !isCompleteSchedule(c))) {
    const boxes = cell.map((w): [number, number, number, number] => w.pageBox ?? [w.x0, w.y0, w.x1, w.y1]);
    const pageBox: [number, number, number, number] = [
      Math.min(...boxes.map((b) => b[0])),
      Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])),
      Math.max(...boxes.map((b) => b[3])),
    ];
    const read = await readEnlarged(worker, image, cropWord(image.grey, { ...cell[0]!, pageBox }).pgm, '7');
    const word = acceptScheduleReread(cell, read, pageBox);
    if (!word) continue;
    const at = out.indexOf(cell[0]!);
    out = [...out.slice(0, at), word, ...out.slice(at).filter((w) => !cell.includes(w))];
  }
  return out;
}

/**
 * A check box's numeral read from its clean image (at twice the page's resolution) as a line and
 * as a single word: each way misreads some glyphs the other reads ("3N" as "aN", "5" as "2").
 */
async function readNumeral(worker: TesseractWorker, image: RenderedPage, pgm: Buffer): Promise<string[]> {
  const line = await readEnlarged(worker, image, pgm, '7');
  const word = await readEnlarged(worker, image, pgm, '8');
  return [line.text, word.text];
}

/** The text of an image enlarged twice from the page, as one line ('7') or one word ('8'), and tesseract's confidence (0..1). */
async function readEnlarged(
  worker: TesseractWorker,
  image: RenderedPage,
  pgm: Buffer,
  mode: '7' | '8',
): Promise<{ text: string; confidence: number }> {
  await worker.setParameters({ user_defined_dpi: String(image.dpi * 2) });
  try {
    const result = await worker.recognize(
      pgm,
      { tessedit_pageseg_mode: mode } as Parameters<TesseractWorker['recognize']>[1],
      { text: true },
    );
    return { text: result.data.text.trim(), confidence: result.data.confidence / 100 };
  } finally {
    await worker.setParameters({ user_defined_dpi: String(image.dpi) });
  }
}

/** Unsure words with digits read again from their own crop of the page as rendered (ocr-reread-words). */
async function rereadUnsureWords(worker: TesseractWorker, image: RenderedPage, words: Word[]): Promise<Word[]> {
  const picked = wordsToReread(words);
  if (!picked.length) return words;
  const out = [...words];
  await worker.setParameters({ user_defined_dpi: String(image.dpi * 2) });
  try {
    for (const w of picked) {
      const crop = cropWord(image.grey, w);
      // One line of text: tesseract's own segmentation of a small crop finds no layout to analyse.
      const result = await worker.recognize(
        crop.pgm,
        { tessedit_pageseg_mode: '7' } as Parameters<TesseractWorker['recognize']>[1],
        { blocks: true, text: false },
      );
      const read = (result.data.blocks ?? []).flatMap((b) =>
        b.paragraphs.flatMap((p) =>
          p.lines.flatMap((l) =>
            l.words.map((x) => ({ text: x.text.trim(), conf: x.confidence / 100, x0: x.bbox.x0, x1: x.bbox.x1 })),
          ),
        ),
      );
      const replacement = acceptReread(w, read, crop);
      if (replacement) out.splice(out.indexOf(w), 1, ...replacement);
    }
  } finally {
    await worker.setParameters({ user_defined_dpi: String(image.dpi) });
  }
  return out;
}

function wordsOf(blocks: Block[] | null, image: RenderedPage, angle: number, pageNumber: number): Word[] {
  const words: Word[] = [];
  for (const block of blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const lineWords: Word[] = [];
        for (const w of line.words) {
          const text = w.text.trim();
          if (isSpeck(text)) continue;
          lineWords.push(toWord(text, w.bbox, w.confidence, image, angle, pageNumber));
        }
        if (!isNoiseLine(lineWords)) words.push(...mergeSplitTokens(lineWords));
      }
    }
  }
  return words;
}

/**
 * Specks read as ":" or "©" carry no value and would drag a line's confidence down; an
 * ampersand is a word ("RENEWED & CURRENT", "Hospital & Clinic").
 */
export function isSpeck(text: string): boolean {
  return !/[A-Za-z0-9$]/.test(text) && text !== '&';
}

/**
 * A line tesseract made out of table shading or rule remnants: mostly one- and two-letter
 * "words" it was itself unsure of ("i i Ea Poe Ri a J ET"). Kept, it lands between a table
 * header and its row, and in the name read from that column.
 */
export function isNoiseLine(words: Word[]): boolean {
  // One clearly read word ("Co M.D. oo"), or a long one fairly read (a label before a row of
  // check boxes: "SCHEDULES: [X]2 [X]2N"), makes it a line of text with specks on it.
  const length = (w: Word) => w.text.replace(/[^A-Za-z0-9]/g, '').length;
  if (words.length < 3 || words.some((w) => w.conf >= 0.85 || (w.conf >= 0.6 && length(w) >= 6))) return false;
  const meanConf = words.reduce((s, w) => s + w.conf, 0) / words.length;
  const short = words.filter((w) => length(w) <= 2).length;
  return meanConf < 0.4 && short >= (words.length * 2) / 3;
}

/**
 * Tesseract splits "01/01/2027" into "01/ 01/ 2027" and "036.305535" into "036. 305535" when
 * the scan spaces the glyphs out; rejoin pieces that touch and continue a number.
 */
export function mergeSplitTokens(words: Word[]): Word[] {
  const out: Word[] = [];
  for (const w of words) {
    const prev = out[out.length - 1];
    const gap = prev ? w.x0 - prev.x1 : 1;
    const height = prev ? prev.y1 - prev.y0 : 0;
    if (prev && gap < height * 0.8 && /\d[/.-]$/.test(prev.text) && /^\d/.test(w.text)) {
      out[out.length - 1] = {
        ...prev,
        text: prev.text + w.text,
        x1: w.x1,
        y0: Math.min(prev.y0, w.y0),
        y1: Math.max(prev.y1, w.y1),
        conf: Math.min(prev.conf, w.conf),
        pageBox:
          prev.pageBox && w.pageBox
            ? [
                prev.pageBox[0],
                Math.min(prev.pageBox[1], w.pageBox[1]),
                w.pageBox[2],
                Math.max(prev.pageBox[3], w.pageBox[3]),
              ]
            : prev.pageBox,
      };
    } else {
      out.push(w);
    }
  }
  return out;
}

function toWord(
  text: string,
  box: { x0: number; y0: number; x1: number; y1: number },
  confidence: number,
  image: RenderedPage,
  angle: number,
  page: number,
): Word {
  // Tesseract reports boxes in the deskewed image; rotate the box centre back about the image centre.
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const ox = image.width / 2;
  const oy = image.height / 2;
  // Back from the levelled image onto the page as scanned (sign checked by a test on a scan
  // rotated by a known angle).
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const rx = ox + (cx - ox) * cos - (cy - oy) * sin;
  const ry = oy + (cx - ox) * sin + (cy - oy) * cos;
  const hw = (box.x1 - box.x0) / 2;
  const hh = (box.y1 - box.y0) / 2;
  return {
    text,
    page,
    // Layout works in the deskewed frame, where a line of text is level.
    x0: clamp01(box.x0 / image.width),
    y0: clamp01(box.y0 / image.height),
    x1: clamp01(box.x1 / image.width),
    y1: clamp01(box.y1 / image.height),
    conf: Math.max(0, Math.min(1, confidence / 100)),
    pageBox: [
      clamp01((rx - hw) / image.width),
      clamp01((ry - hh) / image.height),
      clamp01((rx + hw) / image.width),
      clamp01((ry + hh) / image.height),
    ],
  };
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

export async function ocrPage(doc: PDFDocumentProxy, page: PDFPageProxy, pageNumber: number): Promise<OcrPage> {
  const image = await renderPage(doc, page);
  return recognise(image, pageNumber);
}
