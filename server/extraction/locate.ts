/** Stage 8: page and normalised bbox of a value, from the words it was read from. */
import type { BBox } from '../../common/extraction';
import type { Word } from './types';

export function locate(words: Word[]): { page: number; bbox: BBox } {
  if (!words.length) return { page: 1, bbox: [0, 0, 0, 0] };
  // A value spanning pages (a transcript's rows) is located on its first page.
  const page = Math.min(...words.map((w) => w.page));
  const on = words.filter((w) => w.page === page);
  const r = (v: number) => Math.round(v * 10000) / 10000;
  return {
    page,
    bbox: [r(Math.min(...on.map((w) => w.x0))), r(Math.min(...on.map((w) => w.y0))), r(Math.max(...on.map((w) => w.x1))), r(Math.max(...on.map((w) => w.y1)))],
  };
}
