/**
 * What the import preview offers and queues, as pure functions of the scan's files, the user's
 * exclusions and the preflight: shared by the import slice and the Import screen.
 */
import type { ScannedFile } from '../../preload/contract';
import type { PreflightResult } from '../../common/pdf-preflight';

/** PDFs the preview offers to upload: not duplicates within the scan, not already queued. */
export function candidateFiles(files: readonly ScannedFile[]): ScannedFile[] {
  return files.filter((f) => f.kind === 'pdf' && f.duplicateOf === null && !f.alreadyQueued);
}

/** A candidate's preflight found a problem and the user has not chosen to include it anyway. */
export function heldBack(
  fileId: string,
  preflight: Readonly<Record<string, PreflightResult>>,
  includedAnyway: ReadonlySet<string>,
): boolean {
  const result = preflight[fileId];
  return result !== undefined && !result.ok && !includedAnyway.has(fileId);
}

/**
 * Files that will be queued: candidates not excluded by the user and not held back by the
 * preflight (a file whose preflight has not finished counts: the upload waits for it).
 */
export function queueableFiles(
  files: readonly ScannedFile[],
  excluded: ReadonlySet<string>,
  preflight: Readonly<Record<string, PreflightResult>> = {},
  includedAnyway: ReadonlySet<string> = new Set(),
): ScannedFile[] {
  return candidateFiles(files).filter((f) => !excluded.has(f.id) && !heldBack(f.id, preflight, includedAnyway));
}

/** Candidates whose preflight is still running. */
export function preflightPending(
  files: readonly ScannedFile[],
  preflight: Readonly<Record<string, PreflightResult>>,
): number {
  return candidateFiles(files).filter((f) => preflight[f.id] === undefined).length;
}

/**
 * New files are appended in the order found; a file reported again (a copy found later turned out
 * to be the original, so this one is now its duplicate) replaces its earlier copy in place.
 */
export function mergeScanFiles(current: readonly ScannedFile[], incoming: readonly ScannedFile[]): ScannedFile[] {
  const at = new Map(current.map((f, i) => [f.id, i]));
  const merged = [...current];
  for (const f of incoming) {
    const i = at.get(f.id);
    if (i === undefined) {
      at.set(f.id, merged.length);
      merged.push(f);
    } else merged[i] = f;
  }
  return merged;
}
