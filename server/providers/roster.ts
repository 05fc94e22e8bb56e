/**
 * Seeds providers from a roster CSV before an import: `name,npi[,dea][,licenses][,csrs]` with a
 * header row. DEA numbers are separated by `;`; licenses and CSRs are `STATE:NUMBER` separated by
 * `;` (e.g. `OH:35.123456;CA:A123456`). A row whose NPI is on file updates that provider; rows
 * that cannot be read are reported by line and the rest still load.
 */
import { AppError } from '../../common/errors';
import { lockUntilCommit, type Unit } from '../db/units';
import { npiOk } from '../extraction/validate';
import { isStateCode } from '../extraction/us-states';
import { normaliseIdentifier } from './document-identity';
import { parsePersonName, displayName, type PersonName } from './person-name';
import { announceMatches, matchedTo } from './match-store';
import { activeByNpi, addIdentifier, insertProvider, renameProvider } from './provider-store';

export interface RosterResult {
  created: number;
  updated: number;
  errors: Array<{ line: number; message: string }>;
}

/** RFC 4180 fields: quotes around a field may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const COLUMNS = ['name', 'npi', 'dea', 'licenses', 'csrs'] as const;
type Column = (typeof COLUMNS)[number];

function columnsOf(header: string[]): Map<Column, number> {
  const map = new Map<Column, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase().replace(/s$/, '');
    const col = COLUMNS.find((c) => c.replace(/s$/, '') === k);
    if (col) map.set(col, i);
  });
  if (!map.has('name'))
    throw new AppError(
      'invalid_input',
      `The roster needs a header row with a "name" column (and ${COLUMNS.slice(1).join(', ')}).`,
    );
  return map;
}

function stateNumbers(cell: string, line: number, what: string): Array<{ state: string; value: string }> {
  return cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([A-Za-z]{2})\s*:\s*(.+)$/.exec(entry);
      if (!m || !isStateCode(m[1]!.toUpperCase()))
        throw new RosterLineError(line, `${what} "${entry.slice(0, 40)}" should be STATE:NUMBER, e.g. OH:35.123456.`);
      return { state: m[1]!.toUpperCase(), value: normaliseIdentifier(m[2]!) };
    });
}

class RosterLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

interface RosterEntry {
  name: PersonName;
  npi: string | null;
  deas: string[];
  licenses: Array<{ state: string; value: string }>;
  csrs: Array<{ state: string; value: string }>;
}

/**
 * Seeds the organisation's providers from a roster CSV, in the caller's write. Lines that cannot be
 * read are told apart before any statement runs, so a bad line never leaves half a row behind.
 * Takes the organisation's providers lock (reconcile.ts): a roster and a reconciler creating the
 * same NPI at once would otherwise collide.
 */
export function* seedRoster(orgId: string, csv: string): Unit<RosterResult> {
  const rows = parseCsv(csv.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim()));
  if (rows.length === 0) throw new AppError('invalid_input', 'The roster is empty.');
  const cols = columnsOf(rows[0]!);
  const result: RosterResult = { created: 0, updated: 0, errors: [] };
  const entries: RosterEntry[] = [];
  rows.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const cell = (c: Column) => (cols.has(c) ? (cells[cols.get(c)!] ?? '').trim() : '');
    try {
      entries.push(readRow(line, cell));
    } catch (err) {
      if (!(err instanceof RosterLineError)) throw err;
      result.errors.push({ line: err.line, message: err.message });
    }
  });
  yield* lockUntilCommit(`providers:${orgId}`);
  for (const entry of entries) {
    if (yield* seedEntry(orgId, entry)) result.created++;
    else result.updated++;
  }
  return result;
}

function readRow(line: number, cell: (c: Column) => string): RosterEntry {
  const name = parsePersonName(cell('name'));
  if (!name) throw new RosterLineError(line, 'The name needs at least a given name and a surname.');
  const npi = cell('npi').replace(/\D/g, '') || null;
  if (npi && !npiOk(npi)) throw new RosterLineError(line, `NPI ${npi} fails its check digit.`);
  const deas = cell('dea')
    .split(';')
    .map((d) => normaliseIdentifier(d))
    .filter(Boolean);
  for (const d of deas)
    if (!/^[A-Z][A-Z9]\d{7}$/.test(d))
      throw new RosterLineError(line, `DEA number ${d} is not 2 letters and 7 digits.`);
  const licenses = stateNumbers(cell('licenses'), line, 'License');
  const csrs = stateNumbers(cell('csrs'), line, 'CSR');
  return { name, npi, deas, licenses, csrs };
}

/** Writes one roster line; answers whether it created a provider (false: updated the one with its NPI). */
function* seedEntry(orgId: string, e: RosterEntry): Unit<boolean> {
  let provider = e.npi ? yield* activeByNpi(orgId, e.npi) : null;
  const created = !provider;
  if (provider) {
    const renamed = displayName(e.name);
    // Document lists show the provider's name: a new one is announced with its documents.
    if (renamed !== provider.name) {
      yield* renameProvider(provider.id, renamed);
      yield* announceMatches(yield* matchedTo(provider.id));
    }
  } else {
    provider = yield* insertProvider(orgId, { name: displayName(e.name), npi: e.npi, origin: 'roster' });
  }
  const id = provider.id;
  for (const value of e.deas) yield* addIdentifier(orgId, id, { kind: 'dea', state: '', value, origin: 'roster' });
  for (const l of e.licenses) yield* addIdentifier(orgId, id, { kind: 'license', ...l, origin: 'roster' });
  for (const c of e.csrs) yield* addIdentifier(orgId, id, { kind: 'csr', ...c, origin: 'roster' });
  return created;
}
