/**
 * The relPath a file is registered with: its path below the imported folder, forward slashes,
 * which the server reads for a provider hint ("Sehgal_Ashok/license.pdf"). Never the absolute
 * path: that names the user's home folder. The imported folder's own name goes first only when it
 * reads as a person's name (the user imported "Sehgal_Ashok/" itself); "Downloads", "jsmith" or
 * "OneDrive - Clinic" stay on this machine. Never a home folder or one above it, nor the root of a
 * volume: a file picked from "/Users/Jane Doe" would name the coordinator, not a provider.
 * PHI-adjacent: never logged.
 */
import { homedir } from 'node:os';
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

// Folders whose children are users' home folders (/Users/Jane Doe, C:\Users\Jane Doe).
const HOMES_IN = new Set(['users', 'home', 'documents and settings']);

const lower = (segments: string[]): string[] => segments.map((s) => s.toLowerCase());

/**
 * Whether the folder at `full[index]` is a home folder or above one (this user's, by
 * os.homedir(), or any user's by where homes live), or the root of a volume or share: its name
 * then says whose machine or disk it is, not whose documents these are. Compared without case
 * (Windows and macOS folders are), which only ever leaves out more.
 */
function homeOrVolume(path: string, full: string[], index: number): boolean {
  const folder = lower(full.slice(0, index + 1));
  const home = lower(segmentsOf(homedir()));
  if (folder.length <= home.length && folder.every((s, i) => s === home[i])) return true;
  const above = folder.slice(0, -1);
  if (above.length === 1 && HOMES_IN.has(above[0]!)) return true;
  // A share (\\server\share) and mount points: /Volumes/X, /mnt/X, /media/X, /media/user/X, /run/media/user/X.
  if (/^[\\/]{2}[^\\/]/.test(path) && folder.length <= 2) return true;
  if (above.length === 1 && ['volumes', 'mnt', 'media'].includes(above[0]!)) return true;
  if (above[0] === 'media' && above.length === 2) return true;
  return above[0] === 'run' && above[1] === 'media' && above.length === 3;
}

/** The relPath to send for a queued file, or undefined when there is nothing safe to send. */
export function relPathForServer(file: Pick<FileRow, 'path' | 'rel_path'>): string | undefined {
  const rel = segmentsOf(file.rel_path);
  const full = segmentsOf(file.path);
  if (rel.length === 0) return undefined;
  // The folder the relative path starts in: the imported folder (or a picked file's own folder).
  const tail = full.slice(full.length - rel.length);
  const underRoot = full.length > rel.length && tail.every((s, i) => s === rel[i]);
  const rootIndex = full.length - rel.length - 1;
  const root = underRoot ? full[rootIndex] : undefined;
  const named = root !== undefined && looksLikePersonFolder(root) && !homeOrVolume(file.path, full, rootIndex);
  const parts = named ? [root, ...rel] : rel;
  // Over the server's bound: keep the innermost folders, the ones the hint reads.
  while (parts.length > 1 && parts.join('/').length > REL_PATH_MAX_CHARS) parts.shift();
  const out = parts.join('/');
  return out.length <= REL_PATH_MAX_CHARS ? out : undefined;
}
