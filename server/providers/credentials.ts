/**
 * A provider's credentials from their documents: licenses per state, DEA registrations and
 * state controlled-substance registrations. Per credential the newest document wins (latest
 * expiration, then issue, then upload); older ones are kept as its history.
 */
import { stringField, type ExtractedDocument } from './document-fields';

export const CREDENTIAL_DOC_TYPES = ['medical_license', 'dea_registration', 'csr_certificate'] as const;
export type CredentialDocType = (typeof CREDENTIAL_DOC_TYPES)[number];

/** Days ahead within which a credential counts as expiring (the widest window of the expirations view). */
export const EXPIRING_DAYS = 90;

export interface CredentialEntry {
  docType: CredentialDocType;
  state: string | null;
  number: string | null;
  /** Computed on the day asked: expired, expiring (within 90 days), current, or no_expiration printed. */
  status: 'current' | 'expiring' | 'expired' | 'no_expiration';
  /** As the document prints it (licenses: ACTIVE, CLEAR...). */
  printedStatus: string | null;
  expirationDate: string | null;
  issueDate: string | null;
  schedules: string[] | null;
  documentId: string;
  fileName: string;
}

export interface Credential {
  current: CredentialEntry;
  /** Older documents of the same credential, newest first. */
  history: CredentialEntry[];
}

const NUMBER_FIELD: Record<CredentialDocType, string> = {
  medical_license: 'licenseNumber',
  dea_registration: 'deaNumber',
  csr_certificate: 'registrationNumber',
};

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function statusOn(expirationDate: string | null, today: string): CredentialEntry['status'] {
  if (!expirationDate) return 'no_expiration';
  if (expirationDate < today) return 'expired';
  return expirationDate <= addDays(today, EXPIRING_DAYS) ? 'expiring' : 'current';
}

function entryOf(doc: ExtractedDocument & { docType: CredentialDocType }, today: string): CredentialEntry {
  const schedules = doc.fields.schedules;
  const expirationDate = stringField(doc, 'expirationDate');
  return {
    docType: doc.docType,
    state: stringField(doc, 'state')?.toUpperCase() ?? null,
    number: stringField(doc, NUMBER_FIELD[doc.docType])?.toUpperCase().replace(/\s+/g, '') ?? null,
    status: statusOn(expirationDate, today),
    printedStatus: stringField(doc, 'status'),
    expirationDate,
    issueDate: stringField(doc, 'issueDate'),
    schedules: Array.isArray(schedules) ? schedules.map(String) : null,
    documentId: doc.id,
    fileName: doc.fileName,
  };
}

function isCredentialDoc(doc: ExtractedDocument): doc is ExtractedDocument & { docType: CredentialDocType } {
  return (CREDENTIAL_DOC_TYPES as readonly string[]).includes(doc.docType ?? '');
}

/** One credential per document type and state (a DEA registration is per state too); undated ones by number. */
function credentialKey(e: CredentialEntry): string {
  return `${e.docType}|${e.state ?? `#${e.number ?? e.documentId}`}`;
}

export function credentialsOf(docs: readonly ExtractedDocument[], today: string): Credential[] {
  const groups = new Map<string, Array<{ entry: CredentialEntry; createdAt: string }>>();
  for (const doc of docs) {
    if (!isCredentialDoc(doc)) continue;
    const entry = entryOf(doc, today);
    const key = credentialKey(entry);
    groups.set(key, [...(groups.get(key) ?? []), { entry, createdAt: doc.createdAt }]);
  }
  const newestFirst = (
    a: { entry: CredentialEntry; createdAt: string },
    b: { entry: CredentialEntry; createdAt: string },
  ): number =>
    (b.entry.expirationDate ?? '').localeCompare(a.entry.expirationDate ?? '') ||
    (b.entry.issueDate ?? '').localeCompare(a.entry.issueDate ?? '') ||
    b.createdAt.localeCompare(a.createdAt);
  return [...groups.values()]
    .map((g) => g.sort(newestFirst).map((x) => x.entry))
    .map(([current, ...history]) => ({ current: current!, history }))
    .sort(
      (a, b) =>
        a.current.docType.localeCompare(b.current.docType) ||
        (a.current.state ?? '').localeCompare(b.current.state ?? ''),
    );
}
