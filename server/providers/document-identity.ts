/** Who a document says it belongs to: the printed name and identifiers, plus the upload's hint. */
import { npiOk } from '../extraction/validate';
import { stringField, type ExtractedDocument } from './document-fields';
import { folderHintOf, type FolderHint } from './folder-hint';
import { parsePersonName, type PersonName } from './person-name';

export interface CredentialId {
  kind: 'license' | 'csr';
  state: string;
  number: string;
}

export interface DocumentIdentity {
  name: string | null;
  parsedName: PersonName | null;
  /** Only an NPI that passes its check digit: a misread one must not join two people. */
  npi: string | null;
  dea: string | null;
  credential: CredentialId | null;
  /** Upper-case words of the upload's provider label and file name ("Sehgal_Ashok/..." → SEHGAL ASHOK): a hint, never proof. */
  hintTokens: string[];
  /** The innermost folder of the upload's relPath that reads as a person's name: a hint, never proof. */
  folderHint: FolderHint | null;
}

const NAME_FIELDS = ['registrantName', 'licenseeName', 'participantName'] as const;

export function normaliseIdentifier(value: string): string {
  return value.toUpperCase().replace(/[\s-]+/g, '');
}

export function identityOf(doc: ExtractedDocument): DocumentIdentity {
  const name = NAME_FIELDS.map((f) => stringField(doc, f)).find((v) => v !== null) ?? null;
  const rawNpi = stringField(doc, 'npi')?.replace(/\D/g, '') ?? null;
  const rawDea = stringField(doc, 'deaNumber');
  const state = stringField(doc, 'state')?.toUpperCase() ?? '';
  const license = stringField(doc, 'licenseNumber');
  const registration = stringField(doc, 'registrationNumber');
  let credential: CredentialId | null = null;
  if (doc.docType === 'medical_license' && license)
    credential = { kind: 'license', state, number: normaliseIdentifier(license) };
  else if (doc.docType === 'csr_certificate' && registration)
    credential = { kind: 'csr', state, number: normaliseIdentifier(registration) };
  return {
    name,
    parsedName: parsePersonName(name),
    npi: rawNpi && npiOk(rawNpi) ? rawNpi : null,
    dea: rawDea ? normaliseIdentifier(rawDea).replace(/-.*$/, '') : null,
    credential,
    hintTokens: hintTokensOf(doc),
    folderHint: folderHintOf(doc.relPath),
  };
}

function hintTokensOf(doc: ExtractedDocument): string[] {
  const text = `${doc.uploadProvider ?? ''} ${doc.fileName.replace(/\.[A-Za-z0-9]+$/, '')}`;
  return text
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter((t) => t.length >= 2);
}

/** Whether the hint words name this person: their surname and their given name, in any order. */
export function hintNames(hintTokens: readonly string[], name: PersonName): boolean {
  return hintTokens.includes(name.last) && hintTokens.includes(name.first);
}
