/**
 * A transcript's activities as table rows the reviewer edits cell by cell: every cell is text
 * while typed (so "2.5" can be half-typed), checked per cell, and turned back into activities
 * only when saved.
 */
import { CREDIT_TYPES, type CmeActivity, type CreditType } from '../../common/extraction';

export interface ActivityRow {
  title: string;
  provider: string;
  completionDate: string;
  credits: string;
  creditType: string;
}

export type ActivityColumn = keyof ActivityRow;
export type RowProblems = Partial<Record<ActivityColumn, string>>;

export const EMPTY_ACTIVITY: ActivityRow = { title: '', provider: '', completionDate: '', credits: '', creditType: '' };

/** Rows for whatever the field holds; anything that is not an activity list gives no rows. */
export function toActivityRows(value: unknown): ActivityRow[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((a): a is Partial<CmeActivity> => typeof a === 'object' && a !== null)
    .map((a) => ({
      title: typeof a.title === 'string' ? a.title : '',
      provider: typeof a.provider === 'string' ? a.provider : '',
      completionDate: typeof a.completionDate === 'string' ? a.completionDate : '',
      credits: typeof a.credits === 'number' ? String(a.credits) : '',
      creditType: typeof a.creditType === 'string' ? a.creditType : '',
    }));
}

/** The edit-box text of a row list, as the review slice keeps every unsaved edit. */
export function activityRowsText(rows: readonly ActivityRow[]): string {
  return JSON.stringify(rows);
}

/** Rows back from their edit text: cells stay text exactly as typed ("1,5" included, to be flagged). */
export function parseActivityRowsText(text: string): ActivityRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const cell = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  return parsed
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .map((r) => ({
      title: cell(r.title),
      provider: cell(r.provider),
      completionDate: cell(r.completionDate),
      credits: cell(r.credits),
      creditType: cell(r.creditType),
    }));
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function rowProblems(row: ActivityRow): RowProblems {
  const problems: RowProblems = {};
  if (row.title.trim() === '') problems.title = 'Give the activity title.';
  const date = row.completionDate.trim();
  if (date !== '' && (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))))
    problems.completionDate = 'Write the date as YYYY-MM-DD.';
  const credits = row.credits.trim();
  if (credits !== '' && !(Number.isFinite(Number(credits)) && Number(credits) >= 0 && Number(credits) <= 1000))
    problems.credits = 'Credits are a number from 0 to 1000.';
  if (row.creditType !== '' && !(CREDIT_TYPES as readonly string[]).includes(row.creditType))
    problems.creditType = 'Pick a credit type from the list.';
  return problems;
}

/** The activities to save; throws naming the first row and cell that cannot be saved. */
export function fromActivityRows(rows: readonly ActivityRow[]): CmeActivity[] {
  return rows.map((row, i) => {
    const problem = Object.values(rowProblems(row))[0];
    if (problem) throw new Error(`Activity ${i + 1}: ${problem}`);
    const credits = row.credits.trim();
    return {
      title: row.title.trim(),
      provider: row.provider.trim() || null,
      completionDate: row.completionDate.trim() || null,
      credits: credits === '' ? null : Number(credits),
      creditType: (row.creditType || null) as CreditType | null,
    };
  });
}

/** The list with row `from` moved by `delta` places (kept in bounds). */
export function moveRow<T>(rows: readonly T[], from: number, delta: -1 | 1): T[] {
  const to = from + delta;
  if (from < 0 || from >= rows.length || to < 0 || to >= rows.length) return [...rows];
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row as T);
  return next;
}
