/** The shapes of a table read from word positions (see table.ts for how it is read). */
import type { Line, Word } from './types';

export interface ColumnVocabulary {
  /** The name the cells are returned under; `null` for a column recognised only to be dropped (IDs, formats). */
  key: string | null;
  /** Header wordings, lowercase words separated by single spaces ("completion date"). */
  headers: string[];
}

export type Cells = Record<string, Word[]>;

/** What a line's cells make it: the first line of a row, a line shaped like one that does not read (a garbled date), or neither. */
export type LineKind = 'row' | 'broken' | null;

export interface TableSpec {
  columns: ColumnVocabulary[];
  /** Keys a header must name to be taken for this table's header. */
  required: string[];
  lineKind: (cells: Cells) => LineKind;
}

export interface TableColumn {
  key: string | null;
  /** The heading as printed (both lines of a two-line heading). */
  header: string;
  x0: number;
  x1: number;
}

export interface TableRow {
  cells: Cells;
  lines: Line[];
  /** False for a row whose first line is shaped like a row but did not read as one: kept apart so its wrapped lines join nothing else. */
  valid: boolean;
}

export interface TotalValue {
  value: number;
  word: Word;
  /** The column the figure stands in (by the table's boundaries), or null outside the columns. */
  key: string | null;
}

export interface TotalLine {
  line: Line;
  /** The words of the label ("Total Contact Hours:"). */
  label: Word[];
  values: TotalValue[];
}

export interface Table {
  columns: TableColumn[];
  rows: TableRow[];
  totals: TotalLine[];
  /** Every line the table is made of (headers, rows, totals): the rest of the document lies outside it. */
  lines: Set<Line>;
  /** Lines between the header and the last row that joined no row. */
  stray: number;
}
