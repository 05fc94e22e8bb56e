/**
 * Groups positioned words into visual lines (by vertical overlap) and splits each line into
 * segments at wide gaps, so two columns on one row ("License No. 123    Expires 01/31/2027")
 * stay apart for the label rules.
 */
import type { Line, Word } from './types';

export function buildLines(words: Word[]): Line[] {
  const byPage = new Map<number, Word[]>();
  for (const w of words) {
    const list = byPage.get(w.page) ?? [];
    list.push(w);
    byPage.set(w.page, list);
  }
  const lines: Line[] = [];
  for (const page of [...byPage.keys()].sort((a, b) => a - b)) {
    lines.push(...linesOfPage(byPage.get(page) ?? []));
  }
  return lines;
}

function linesOfPage(words: Word[]): Line[] {
  const sorted = [...words].sort((a, b) => centreY(a) - centreY(b) || a.x0 - b.x0);
  const groups: Word[][] = [];
  for (const w of sorted) {
    const h = w.y1 - w.y0;
    let best: Word[] | undefined;
    let bestOverlap = 0;
    // Only the last few groups can hold a word this low on the page.
    for (let i = groups.length - 1; i >= Math.max(0, groups.length - 4); i--) {
      const g = groups[i]!;
      // Judged against the group's words near this one: two columns on one row can sit on
      // baselines a little apart (a name block beside a paragraph of small print).
      const near = g.filter((x) => x.conf >= 0.6 && Math.max(x.x0 - w.x1, w.x0 - x.x1) < 0.1);
      const ref = near.length >= 2 ? near : g;
      const gy0 = median(ref.map((x) => x.y0));
      const gy1 = median(ref.map((x) => x.y1));
      const overlap = Math.min(gy1, w.y1) - Math.max(gy0, w.y0);
      const ratio = overlap / Math.max(1e-6, Math.min(h, gy1 - gy0));
      if (ratio > 0.5 && ratio > bestOverlap && !collides(g, w)) {
        best = g;
        bestOverlap = ratio;
      }
    }
    if (best) best.push(w);
    else groups.push([w]);
  }
  return groups.map(makeLine).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

const single = (x: Word) => x.text.replace(/[^A-Za-z0-9]/g, '').length <= 1;
const within = (a: Word, b: Word) => a.x0 >= b.x0 && a.x1 <= b.x1;

/**
 * A word that overlaps one already in the group horizontally belongs to another line. A single
 * character that OCR (not a text layer) read inside another word's extent (the apostrophe of "O'Brien" read again as
 * a "1") is the same ink twice, and an unsure one is a speck: neither parts a name from its last word.
 */
function collides(group: Word[], w: Word): boolean {
  return group.some((g) => {
    if (Math.min(g.x1, w.x1) - Math.max(g.x0, w.x0) <= 0.3 * Math.min(g.x1 - g.x0, w.x1 - w.x0)) return false;
    const [one, other] = single(w) ? [w, g] : [g, w];
    return !(single(one) && one.conf < 0.999 && (one.conf < 0.7 || within(one, other)));
  });
}

export function makeLine(all: Word[]): Line {
  // One character OCR read inside another word of the line is that word's ink read twice.
  const words = all.filter((w) => !(w.conf < 0.999 && single(w) && all.some((o) => !single(o) && within(w, o))));
  const height = median(words.map((w) => w.y1 - w.y0));
  const ws = joinLetterSpaced(
    [...words].sort((a, b) => a.x0 - b.x0),
    height,
  );
  const segments: Word[][] = [];
  let current: Word[] = [];
  for (const w of ws) {
    const prev = current[current.length - 1];
    // Page fractions: a gap wider than ~2 character heights (scaled for page aspect) splits columns.
    if (prev && w.x0 - prev.x1 > height * 1.6) {
      segments.push(current);
      current = [];
    }
    current.push(w);
  }
  if (current.length) segments.push(current);
  return {
    page: ws[0]!.page,
    words: ws,
    segments,
    text: ws.map((w) => w.text).join(' '),
    x0: Math.min(...ws.map((w) => w.x0)),
    y0: Math.min(...ws.map((w) => w.y0)),
    x1: Math.max(...ws.map((w) => w.x1)),
    y1: Math.max(...ws.map((w) => w.y1)),
  };
}

/**
 * Engraved headings space their letters ("S T A T E  O F  O H I O"), and a text layer then holds one
 * word per letter: a run of three or more single letters becomes words again, split where a gap
 * is clearly wider than the run's letter spacing.
 */
function joinLetterSpaced(ws: Word[], height: number): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < ws.length) {
    let j = i;
    while (j < ws.length && /^[A-Za-z]$/.test(ws[j]!.text)) j++;
    if (j - i < 3) {
      out.push(ws[i]!);
      i++;
      continue;
    }
    const run = ws.slice(i, j);
    const gaps = run.slice(1).map((w, k) => w.x0 - run[k]!.x1);
    const letterGap = median(gaps);
    let chunk: Word[] = [run[0]!];
    const flush = () => {
      out.push({
        ...chunk[0]!,
        text: chunk.map((w) => w.text).join(''),
        x1: chunk[chunk.length - 1]!.x1,
        y0: Math.min(...chunk.map((w) => w.y0)),
        y1: Math.max(...chunk.map((w) => w.y1)),
        conf: Math.min(...chunk.map((w) => w.conf)),
      });
    };
    gaps.forEach((gap, k) => {
      if (gap > Math.max(letterGap * 1.8, letterGap + height * 0.3)) {
        flush();
        chunk = [];
      }
      chunk.push(run[k + 1]!);
    });
    flush();
    i = j;
  }
  return out;
}

function centreY(w: Word): number {
  return (w.y0 + w.y1) / 2;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export function segmentText(words: Word[]): string {
  return words.map((w) => w.text).join(' ');
}
