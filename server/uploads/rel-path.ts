/**
 * The relPath a client sends with a file (its path relative to the imported folder). It is never
 * opened as a path on this server; it is shown and read for provider hints, so it is held to the
 * form a relative path has: no absolute path (which could carry the user's home folder), no "..",
 * no control characters, a bounded length. PHI-adjacent: the messages here never repeat it.
 */
import { REL_PATH_MAX_CHARS } from '../../common/api';
import { AppError } from '../../common/errors';

// C0 and C1 control characters, DEL included: they could forge lines where the path is shown.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** The relPath as stored (forward slashes, no empty or "." segments), null when none was sent; refuses a bad one. */
export function normaliseRelPath(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const text = raw.replace(CONTROL, '').replace(/\\/g, '/');
  if (text.trim() === '') return null;
  if (text.length > REL_PATH_MAX_CHARS)
    throw new AppError(
      'invalid_input',
      `relPath has ${text.length} characters; the limit is ${REL_PATH_MAX_CHARS}. Send the path relative to the imported folder.`,
    );
  // "/home/…", "\\server\share", "C:/…" and "C:file" are absolute (or drive-relative) on some system.
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text))
    throw new AppError(
      'invalid_input',
      'relPath must be relative to the imported folder, not an absolute path; send only the part below that folder.',
    );
  const segments = text.split('/').map((s) => s.trim());
  if (segments.includes('..'))
    throw new AppError(
      'invalid_input',
      'relPath must not contain ".." segments; send the path below the imported folder as it is on disk.',
    );
  const kept = segments.filter((s) => s !== '' && s !== '.');
  return kept.length > 0 ? kept.join('/') : null;
}
