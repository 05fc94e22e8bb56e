/**
 * Date recognition in the forms credential documents print (US month-first), normalised to
 * ISO `YYYY-MM-DD`. Each match keeps how many words it used so its box can be located.
 */
const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

export interface DateMatch {
  iso: string;
  /** Index of the first word of the date in the word list it was searched in. */
  start: number;
  /** Number of words the date spans. */
  length: number;
  /** The month name was an OCR misread repaired by `nearMonth` ("FAN" -> JAN): less sure. */
  repaired?: boolean;
}

export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 100) y += y >= 50 ? 1900 : 2000;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2199) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const clean = (t: string) => t.replace(/^[([{"'.,:;]+|[)\]}"'.,:;]+$/g, '');

/** Finds every date in a run of word texts, left to right. */
export function findDates(texts: string[]): DateMatch[] {
  const out: DateMatch[] = [];
  for (let i = 0; i < texts.length; i++) {
    const m = matchAt(texts, i);
    if (m) {
      out.push(m);
      i += m.length - 1;
    }
  }
  return out;
}

/** OCR reads 0 as O and 1 as l or I inside numeric dates; undo that only where the shape is a date. */
function ocrDigits(t: string): string {
  return /^[\dOolI|]{1,4}[/.-][\dOolI|]{1,2}[/.-][\dOolI|]{2,4}$/.test(t)
    ? t.replace(/[Oo]/g, '0').replace(/[lI|]/g, '1')
    : t;
}

function matchAt(texts: string[], i: number): DateMatch | null {
  const t = ocrDigits(clean(texts[i] ?? ''));
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(t);
  if (m) return wrap(isoDate(Number(m[3]), Number(m[1]), Number(m[2])), i, 1);
  m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(t);
  if (m) return wrap(isoDate(Number(m[1]), Number(m[2]), Number(m[3])), i, 1);
  // OCR reads the O of "Oct" as a zero: "3-0ct-2012".
  m = /^(\d{1,2})[-/ ]?(0?[A-Za-z]{2,9})[-/ ]?(\d{4}|\d{2})$/.exec(t.replace(/(?<=[-/ ])0(?=[a-z])/, 'O'));
  const mon1 = m ? MONTHS[(m[2] ?? '').toLowerCase()] : undefined;
  if (m && mon1) return wrap(isoDate(Number(m[3]), mon1, Number(m[1])), i, 1);
  const near = m ? nearMonth(m[2] ?? '') : null;
  if (m && near) {
    const w = wrap(isoDate(Number(m[3]), near, Number(m[1])), i, 1);
    return w && { ...w, repaired: true };
  }
  // Words split across tokens: "March 4, 2025", "Mar. 04 2025", "4 March 2025", "March 2025" (not a day: skipped).
  // OCR may lose the space between month and day, or read it as a mark: "Sep13, 2019", "Sep'13, 2019".
  const gluedDay = /^([A-Za-z]{3,9})[.'’`]?(\d{1,2}),?$/.exec(t);
  const gluedMonth = gluedDay ? MONTHS[gluedDay[1]!.toLowerCase()] : undefined;
  const gluedYear = /^(\d{4})[.,;:)]?$/.exec(texts[i + 1] ?? '');
  if (gluedDay && gluedMonth && gluedYear)
    return wrap(isoDate(Number(gluedYear[1]), gluedMonth, Number(gluedDay[2])), i, 2);
  const month = MONTHS[t.toLowerCase().replace(/\.$/, '')];
  if (month && i + 2 < texts.length + 1) {
    // "February 8-10, 2024": an activity over several days ends on the last one.
    // OCR reads the comma after the day as a full stop: "February 1. 1999".
    const d = /^(?:\d{1,2}[-–])?(\d{1,2})(st|nd|rd|th)?[,.]?$/i.exec(texts[i + 1] ?? '');
    const y = /^(\d{4})[.,;:)]?$/.exec(texts[i + 2] ?? '');
    if (d && y) return wrap(isoDate(Number(y[1]), month, Number(d[1])), i, 3);
    // OCR drops the space after the comma and may read the comma as a full stop: "April 30.2028".
    const glued = /^(?:\d{1,2}[-–])?(\d{1,2})[.,](\d{4})[.,;:)]?$/.exec(texts[i + 1] ?? '');
    if (glued) return wrap(isoDate(Number(glued[2]), month, Number(glued[1])), i, 2);
  }
  const day = /^(\d{1,2})(st|nd|rd|th)?$/i.exec(t);
  // "17th day of October, 1991", "12th day of July in the year 2019": certificates' sealing clause.
  if (day && /^day$/i.test(texts[i + 1] ?? '') && /^of$/i.test(texts[i + 2] ?? '')) {
    const mon = MONTHS[clean(texts[i + 3] ?? '').toLowerCase()];
    let j = i + 4;
    // "in the year", its "in" OCR may misread ("fit the year").
    if (/^[a-z]{2,3}$/i.test(texts[j] ?? '') && /^the$/i.test(texts[j + 1] ?? '') && /^year$/i.test(texts[j + 2] ?? ''))
      j += 3;
    const y = /^(\d{4})[.,;:)]?$/.exec(texts[j] ?? '');
    if (mon && y) return wrap(isoDate(Number(y[1]), mon, Number(day[1])), i, j - i + 1);
  }
  if (day && texts[i + 1]) {
    const mon =
      MONTHS[
        clean(texts[i + 1] ?? '')
          .toLowerCase()
          .replace(/\.$/, '')
      ];
    const y = /^,?(\d{4})[.,;:)]?$/.exec(texts[i + 2] ?? '');
    if (mon && y) return wrap(isoDate(Number(y[1]), mon, Number(day[1])), i, 3);
  }
  return null;
}

function wrap(iso: string | null, start: number, length: number): DateMatch | null {
  return iso ? { iso, start, length } : null;
}

/** Last day of the month of an ISO date. */
export function isMonthEnd(iso: string): boolean {
  const [y = 0, m = 0, d = 0] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
}

const ABBREVIATIONS = Object.keys(MONTHS).filter((k) => k.length === 3);

/**
 * A three-letter month OCR misread by one letter ("FAN" for JAN):
 * the only abbreviation one substitution away, or null when none or several are.
 */
export function nearMonth(token: string): number | null {
  const t = token.toLowerCase();
  if (t.length !== 3) return null;
  const close = ABBREVIATIONS.filter((a) => [...a].filter((c, k) => c !== t[k]).length === 1);
  return close.length === 1 ? (MONTHS[close[0]!] ?? null) : null;
}
