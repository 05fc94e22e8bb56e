/**
 * Shapes shared by the pipeline stages: positioned words and lines in normalised page
 * coordinates (0..1, origin top-left), and the per-field result before it is serialised.
 */
import type { BBox, FieldScalar } from '../../common/extraction';

/** One word with its box on the page; `conf` is 1 for a text layer, the OCR confidence (0..1) otherwise. */
export interface Word {
  text: string;
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  conf: number;
  /**
   * Where the word sits on the page as rendered, when that differs from x0..y1: OCR works on a
   * deskewed image, and lines are grouped there, but the review screen highlights the page.
   */
  pageBox?: [number, number, number, number];
}

/** Words on one visual line, split into segments where a wide gap separates columns. */
export interface Line {
  page: number;
  words: Word[];
  segments: Word[][];
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageText {
  page: number;
  words: Word[];
  source: 'text' | 'ocr';
}

/** How a value was found: drives its confidence. */
export type Method = 'label-inline' | 'label-below' | 'statement' | 'pattern' | 'table' | 'derived';

export interface Found {
  value: FieldScalar;
  method: Method;
  /** 0..1, how specific the label that led to the value is (1 for an exact, field-specific label). */
  labelStrength: number;
  words: Word[];
}

export interface FieldResult extends Found {
  confidence: number;
  page: number;
  bbox: BBox;
}
