/** Stage 8: page and normalised bbox of a value, from the words it was read from. */
import type { BBox } from '../../common/extraction';
import type { Word } from './types';

export function locate(words: Word[]): { page: number; bbox: BBox } {
  if (!words.length) return { page: 1, bbox: [0, 0, 0, 0] };
  // A value spanning pages (a transcript's rows) is located on its first page.
  const page = Math.min(...words.map((w) => w.page));
  const boxes: [number, number, number, number][] = words
    .filter((w) => w.page === page)
    .map((w) => w.pageBox ?? [w.x0, w.y0, w.x1, w.y1]);
  const r = (v: number) => Math.round(v * 10000) / 10000;
  return {
    page,
    bbox: [
      r(Math.min(...boxes.map((b) => b[0]))),
      r(Math.min(...boxes.map((b) => b[1]))),
      r(Math.max(...boxes.map((b) => b[2]))),
      r(Math.max(...boxes.map((b) => b[3]))),
    ],
  };
}
