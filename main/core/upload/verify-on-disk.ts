import { AppError } from '../../../common/errors';
import { statError, statSoon } from '../file-io/stat-batch';
import { hashFile } from '../scan/hash-file';
import type { FileRow } from '../db/queue-rows';

/** What is on disk now compared with what was queued. */
export type DiskCheck =
  | { ok: true; mtimeMs: number }
  | { ok: false; error: AppError; current?: { sizeBytes: number; mtimeMs: number; sha256: string } };

/**
 * Size and mtime first (cheap: one stat, sent to the reading thread with those of the other files
 * starting now, stat-batch.ts); only when they moved is the file hashed again. Same hash: it was
 * touched, not changed (the new mtime is returned to record). Different: a clear conflict.
 */
export async function verifyOnDisk(
  file: Pick<FileRow, 'path' | 'size_bytes' | 'mtime_ms' | 'sha256'>,
  signal?: AbortSignal,
): Promise<DiskCheck> {
  let st;
  try {
    st = await statSoon(file.path);
  } catch (err) {
    return { ok: false, error: fsError(err) };
  }
  if (!st.ok) return { ok: false, error: fsError(statError(st)) };
  if (st.kind !== 'file')
    return { ok: false, error: new AppError('not_found', 'The queued file is no longer a regular file on disk.') };
  if (st.size === file.size_bytes && st.mtimeMs === file.mtime_ms) return { ok: true, mtimeMs: st.mtimeMs };
  let sha256: string;
  try {
    sha256 = (await hashFile(file.path, { signal })).sha256;
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, error: fsError(err) };
  }
  if (sha256 === file.sha256) return { ok: true, mtimeMs: st.mtimeMs };
  return {
    ok: false,
    error: new AppError(
      'conflict',
      'The file changed on disk since it was queued (its content differs). Retry to upload its current version.',
    ),
    current: { sizeBytes: st.size, mtimeMs: st.mtimeMs, sha256 },
  };
}

export function fsError(err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT')
    return new AppError('not_found', 'The file is gone from disk (moved or deleted) since it was queued.');
  if (code === 'EACCES' || code === 'EPERM')
    return new AppError('invalid_input', 'The file cannot be read (permission denied). Fix its permissions and retry.');
  if (code === 'EISDIR') return new AppError('not_found', 'The queued file is now a folder on disk.');
  return new AppError(
    'internal',
    `Reading the file failed: ${code ?? (err instanceof Error ? err.message : String(err))}`,
  );
}
