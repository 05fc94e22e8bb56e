/**
 * A folder per provider ("Sehgal_Ashok/", "Ashok Sehgal MD/", "sehgal-ashok/", "Doe, Jane/") is
 * how many practices file credentials. The innermost folder of a document's relPath that reads as
 * a person's name is a hint for the matcher: it may break a tie or raise a weak name match a
 * little, and a folder naming someone else flags the match; it never matches on its own.
 */
import { isPlausiblePersonName, naturalName } from '../extraction/names';
import { parsePersonName, type PersonName } from './person-name';

export interface FolderHint {
  /** The folder's name as uploaded (shown to the coordinator with the match; never logged). */
  folder: string;
  name: PersonName;
}

// Folder words the printed-name list does not hold (it reads documents, not folder trees).
const FOLDER_WORDS = new Set([
  'dea',
  'cme',
  'csr',
  'npi',
  'docs',
  'document',
  'scan',
  'scanned',
  'file',
  'upload',
  'archive',
  'misc',
  'credential',
  'credentialing',
  'provider',
  'folder',
  'import',
  'backup',
  'copy',
  'new',
  'old',
  'expired',
  'current',
  'board',
  'year',
  'staff',
  'personal',
]);

/**
 * A folder's words as a name: underscores are spaces; hyphens too when nothing else separates the
 * words; an all-lowercase name capitalised (a printed name in lowercase reads as prose, a folder's does not).
 */
function folderText(segment: string): string {
  const spaced = segment.replace(/_+/g, ' ').trim();
  const words = /[\s,]/.test(spaced) ? spaced : spaced.replace(/-+/g, ' ');
  return /[A-Z]/.test(words) ? words : words.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** The person a folder's name reads as, or null ("Licenses", "2024", "CME Certificates", "jsmith"). */
export function personOfFolder(segment: string): PersonName | null {
  const natural = naturalName(folderText(segment));
  if (!natural) return null;
  // Plural folder words ("Licenses", "Transcripts") are checked in their singular form too.
  const singular = natural.replace(/([A-Za-z]{3,})s\b/g, '$1');
  if (!isPlausiblePersonName(natural) || !isPlausiblePersonName(singular)) return null;
  const words = singular.toLowerCase().split(/[^a-z]+/);
  if (words.some((w) => FOLDER_WORDS.has(w))) return null;
  const name = parsePersonName(natural);
  // An initial and a surname ("Sehgal_A") is too little to hint with.
  if (!name || name.tokens.filter((t) => t.length >= 2).length < 2) return null;
  return name;
}

/** The innermost folder of relPath (the file's own name left out) that reads as a person's name. */
export function folderHintOf(relPath: string | null): FolderHint | null {
  if (!relPath) return null;
  const folders = relPath.split('/').slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const name = personOfFolder(folders[i]!);
    if (name) return { folder: folders[i]!, name };
  }
  return null;
}
