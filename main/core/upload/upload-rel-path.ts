/**
 * The relPath a file is registered with: its path below the imported folder, forward slashes,
 * which the server reads for a provider hint ("Sehgal_Ashok/license.pdf"). Never the absolute
 * path: that names the user's home folder. The imported folder's own name goes first only when it
 * reads as a person's name (the user imported "Sehgal_Ashok/" itself); "Downloads", "jsmith" or
 * "OneDrive - Clinic" stay on this machine. PHI-adjacent: never logged.
 */
import { REL_PATH_MAX_CHARS } from '../../../common/api';
import type { FileRow } from '../db/queue-rows';

// Folder words that are never a person's name (cloud and system folders, document kinds).
const NOT_A_NAME = new Set([
  'onedrive',
  'dropbox',
  'google',
  'drive',
  'icloud',
  'box',
  'sync',
  'desktop',
  'documents',
  'downloads',
  'users',
  'home',
  'shared',
  'scans',
  'files',
  'licenses',
  'license',
  'certificates',
  'cme',
  'dea',
  'csr',
  'credentials',
  'providers',
  'new',
  'folder',
  'copy',
  'backup',
  'archive',
  'clinic',
  'inc',
  'llc',
]);

/** Whether a folder's name is shaped like a person's name: two to five words of letters, none a folder word. */
export function looksLikePersonFolder(name: string): boolean {
  const words = name.split(/[\s_,.-]+/).filter(Boolean);
  if (words.length < 2 || words.length > 5) return false;
  if (!words.every((w) => /^[A-Za-z']+$/.test(w))) return false;
  if (words.some((w) => NOT_A_NAME.has(w.toLowerCase()))) return false;
  return words.filter((w) => w.length >= 2).length >= 2;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function segmentsOf(p: string): string[] {
  return p
    .replace(CONTROL, '')
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.' && s !== '..' && !/^[A-Za-z]:$/.test(s));
}

/** The relPath to send for a queued file, or undefined when there is nothing safe to send. */
export function relPathForServer(file: Pick<FileRow, 'path' | 'rel_path'>): string | undefined {
  const rel = segmentsOf(file.rel_path);
  const full = segmentsOf(file.path);
  if (rel.length === 0) return undefined;
  // The folder the relative path starts in: the imported folder (or a picked file's own folder).
  const tail = full.slice(full.length - rel.length);
  const underRoot = full.length > rel.length && tail.every((s, i) => s === rel[i]);
  const root = underRoot ? full[full.length - rel.length - 1] : undefined;
  const parts = root && looksLikePersonFolder(root) ? [root, ...rel] : rel;
  // Over the server's bound: keep the innermost folders, the ones the hint reads.
  while (parts.length > 1 && parts.join('/').length > REL_PATH_MAX_CHARS) parts.shift();
  const out = parts.join('/');
  return out.length <= REL_PATH_MAX_CHARS ? out : undefined;
}
