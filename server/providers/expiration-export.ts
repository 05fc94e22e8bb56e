/** The expirations as CSV (one row each) and as an iCalendar file (one all-day event each, RFC 5545). */
import type { Expiration } from './expirations';
import { addDays } from './credentials';

const LABEL: Record<Expiration['docType'], string> = {
  medical_license: 'medical license',
  dea_registration: 'DEA registration',
  csr_certificate: 'controlled substance registration',
};

function describe(e: Expiration): string {
  return `${e.providerName}: ${e.state ? `${e.state} ` : ''}${LABEL[e.docType]}${e.number ? ` ${e.number}` : ''} expires ${e.expirationDate}`;
}

/**
 * A cell a spreadsheet will not run as a formula, quoted when it holds a comma, quote or line break.
 * Only text is guarded: a number is never a formula, and a negative one (days left once expired) stays numeric.
 */
function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function expirationsCsv(list: readonly Expiration[]): string {
  const header = [
    'provider',
    'provider_id',
    'credential',
    'state',
    'number',
    'expiration_date',
    'days_left',
    'window',
    'document_id',
  ];
  const rows = list.map((e) =>
    [e.providerName, e.providerId, e.docType, e.state, e.number, e.expirationDate, e.daysLeft, e.bucket, e.documentId]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let rest = line;
  let limit = 75;
  while (Buffer.byteLength(rest, 'utf8') > limit) {
    let cut = limit;
    while (Buffer.byteLength(rest.slice(0, cut), 'utf8') > limit) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    limit = 74;
  }
  parts.push(rest);
  return parts.join('\r\n ');
}

const compact = (isoDate: string) => isoDate.replace(/-/g, '');

export function expirationsIcs(list: readonly Expiration[], stamp: Date): string {
  const dtstamp = `${stamp.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//CredentialMate//Expirations//EN', 'CALSCALE:GREGORIAN'];
  for (const e of list)
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.documentId}-${compact(e.expirationDate)}@credentialmate`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${compact(e.expirationDate)}`,
      `DTEND;VALUE=DATE:${compact(addDays(e.expirationDate, 1))}`,
      `SUMMARY:${icsText(describe(e))}`,
      `DESCRIPTION:${icsText(`Provider ${e.providerId}; document ${e.documentId}.`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
