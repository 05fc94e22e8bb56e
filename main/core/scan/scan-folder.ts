import picomatch from 'picomatch';
import { randomUUID } from 'node:crypto';
import type { ScanOptions, ScanProgress, ScannedFile } from '../../../common/domain';
import { largeFileHashingThread, type FileIoThread } from '../file-io/file-io-client';
import { hashFile } from './hash-file';
import { startsWithPdfMagic } from './read-magic';
import { walkFolder, type WalkEntry } from './walk-folder';

/** A scanned file plus what the queue needs to detect a later change on disk. */
export interface ScannedFileDetail extends ScannedFile {
  mtimeMs: number;
}

export interface ScanHooks {
  signal?: AbortSignal;
  scanId?: string;
  /** Throttled (about every 100 ms) and once at the end. */
  onProgress?: (p: ScanProgress) => void;
  /**
   * Files in groups, as they are classified. A file already reported arrives again (same id,
   * `duplicateOf` now set) when a copy found later turns out to be the original.
   */
  onFiles?: (files: ScannedFileDetail[]) => void;
  /** A hash already known for this path/size/mtime: the file is not read again. */
  knownSha256?: (path: string, sizeBytes: number, mtimeMs: number) => string | null;
  /** Whether the local queue already holds (and has not given up on) this content. */
  isQueued?: (sha256: string) => boolean;
}

export interface ScanResult {
  scanId: string;
  files: ScannedFileDetail[];
  progress: ScanProgress;
}

/**
 * Scanned files are handed on (onFiles) in groups: the first file at once, then at intervals that
 * double from FILES_FIRST_MS to FILES_MAX_MS, or whenever FILE_GROUP files wait. Why growing: each
 * group is queued in its own synchronous=FULL commit (an fsync on the main thread, which also
 * drives the uploads), and every 100 ms made 25-120 of them for 5,000 files (1.6 s of the main
 * thread held on a loaded machine, issue 17). The uploads fall behind the scan after the first
 * groups (sending a file takes longer than hashing it), so later groups can wait longer. FILE_GROUP
 * is QueueStore's insert chunk: a bigger group would still commit in chunks of that size.
 */
const FILE_GROUP = 500;
const FILES_FIRST_MS = 100;
const FILES_MAX_MS = 800;
const PROGRESS_EVERY_MS = 100;
const PARALLEL_FILES = 8;
/**
 * Files from this size are hashed in a lane of their own (scanFolder), on a thread of their own:
 * in walk order among the others, three 40 MB scans sorted first held every small file of the
 * folder, and so the first upload, behind their hashing (issue 17).
 */
const LARGE_FILE_BYTES = 8 << 20;

function errorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'unreadable: the file vanished during the scan';
  if (code === 'EACCES' || code === 'EPERM') return 'unreadable: permission denied';
  return `unreadable: ${code ?? (err instanceof Error ? err.message : String(err))}`;
}

function newProgress(scanId: string): ScanProgress {
  return {
    scanId,
    entriesSeen: 0,
    pdfs: 0,
    skipped: 0,
    duplicates: 0,
    bytes: 0,
    hashedBytes: 0,
    done: false,
    cancelled: false,
  };
}

/** Per content: the file kept as the original and the copies marked duplicate of it so far. */
type ByContent = Map<string, { original: ScannedFileDetail; copies: ScannedFileDetail[] }>;

/**
 * Marks a PDF as a copy of the original of its content, or makes it the original when it was
 * kept before (see keptBefore): then the earlier copies point at it and go into `group` again.
 */
function trackDuplicate(
  bySha: ByContent,
  sha256: string,
  f: ScannedFileDetail,
  group: ScannedFileDetail[],
  progress: ScanProgress,
): void {
  const same = bySha.get(sha256);
  if (!same) bySha.set(sha256, { original: f, copies: [] });
  else if (keptBefore(f, same.original)) {
    // The copy found first was made later: it and the other copies now point at this one,
    // and are reported again so whoever listed them sees the change.
    const copies = [same.original, ...same.copies];
    for (const c of copies) {
      c.duplicateOf = f.id;
      if (!group.includes(c)) group.push(c);
    }
    progress.duplicates++;
    bySha.set(sha256, { original: f, copies });
  } else {
    f.duplicateOf = same.original.id;
    same.copies.push(f);
  }
}

/**
 * Scans folders and files for PDFs: include/exclude globs on the path relative to its root,
 * `%PDF-` check, streaming SHA-256 and page count, duplicates within the scan.
 * Cancel with `signal` (rejects with an AbortError); never throws for a bad entry, it reports it.
 */
export async function scanFolder(opts: ScanOptions, hooks: ScanHooks = {}): Promise<ScanResult> {
  const scanId = hooks.scanId ?? randomUUID();
  const include = opts.include?.length ? picomatch(opts.include, { dot: false, nocase: true }) : null;
  const exclude = opts.exclude?.length ? picomatch(opts.exclude, { dot: true, nocase: true }) : null;
  const progress = newProgress(scanId);
  const files: ScannedFileDetail[] = [];
  /** Per content: the file kept as the original and the copies marked duplicate of it so far. */
  const bySha: ByContent = new Map();
  let group: ScannedFileDetail[] = [];
  let lastEmit = 0;
  let lastFiles = 0;
  let filesEveryMs = FILES_FIRST_MS;

  const emit = (force = false): void => {
    const t = Date.now();
    if (group.length && (force || t - lastFiles >= filesEveryMs)) {
      if (lastFiles > 0) filesEveryMs = Math.min(FILES_MAX_MS, filesEveryMs * 2);
      lastFiles = t;
      hooks.onFiles?.(group);
      group = [];
    }
    if (force || t - lastEmit >= PROGRESS_EVERY_MS) {
      lastEmit = t;
      hooks.onProgress?.({ ...progress });
    }
  };
  const add = (f: ScannedFileDetail): void => {
    files.push(f);
    group.push(f);
    if (f.kind === 'pdf') progress.pdfs++;
    else progress.skipped++;
    if (f.duplicateOf) progress.duplicates++;
    if (group.length >= FILE_GROUP) emit(true);
    else emit();
  };

  // Classify a few files at once (I/O overlaps) and record them in walk order as soon as the
  // oldest is done, so which copy counts as the original stays deterministic and a big file
  // is handed on (to be uploaded) while the next ones are still hashing.
  const window: Promise<ScannedFileDetail>[] = [];
  const record = (f: ScannedFileDetail): void => {
    if (f.kind === 'pdf' && f.sha256) trackDuplicate(bySha, f.sha256, f, group, progress);
    add(f);
  };
  const drain = async (): Promise<void> => {
    while (window.length > 0) record(await (window.shift() as Promise<ScannedFileDetail>));
  };
  const large = new LargeFileLane((entry) => classify(entry, hooks, progress, largeFileHashingThread), record);
  try {
    for await (const entry of walkFolder(opts.paths, hooks.signal)) {
      progress.entriesSeen++;
      hooks.signal?.throwIfAborted();
      large.check();
      if (entry.kind === 'file') {
        if (include && !include(entry.relPath)) continue;
        if (exclude && exclude(entry.relPath)) continue;
        if (entry.stat.size >= LARGE_FILE_BYTES) {
          large.add(entry);
          continue;
        }
      }
      const pending = classify(entry, hooks, progress);
      // A cancel rejects every file in the window at once, possibly before the loop reaches its
      // catch: each is observed from the start (awaiting it below still sees the rejection).
      pending.catch(() => undefined);
      window.push(pending);
      if (window.length >= PARALLEL_FILES) record(await (window.shift() as Promise<ScannedFileDetail>));
    }
    await drain();
    await large.finish();
  } catch (err) {
    large.stop(err);
    if (hooks.signal?.aborted) {
      progress.cancelled = true;
      progress.done = true;
      emit(true);
    }
    throw err;
  }
  progress.done = true;
  emit(true);
  return { scanId, files, progress };
}

/**
 * Large files (LARGE_FILE_BYTES), classified one at a time in walk order among themselves and each
 * recorded when done, beside the window of small ones. Copies have the same size, so which copy is
 * the original is decided the same way whatever the timing between the two.
 */
class LargeFileLane {
  private tail: Promise<void> = Promise.resolve();
  private failure: { err: unknown } | null = null;

  constructor(
    private readonly classifyOne: (entry: WalkEntry) => Promise<ScannedFileDetail>,
    private readonly record: (f: ScannedFileDetail) => void,
  ) {}

  add(entry: WalkEntry): void {
    this.tail = this.tail
      .then(async () => {
        if (!this.failure) this.record(await this.classifyOne(entry));
      })
      .catch((err: unknown) => {
        this.failure ??= { err };
      });
  }

  /** Throws what stopped the lane: a cancel, or handing a file on failed. */
  check(): void {
    if (this.failure) throw this.failure.err;
  }

  /** The scan failed or was cancelled: files still waiting in the lane are not handed on. */
  stop(err: unknown): void {
    this.failure ??= { err };
  }

  async finish(): Promise<void> {
    await this.tail;
    this.check();
  }
}

/** File systems and copy tools keep modification times at different precision (FAT: 2 s). */
const SAME_TIME_MS = 2000;

/**
 * Which of two identical files is the original: the one modified earlier, because a copy is made
 * after its original (cp, a download saved again, a scanner re-export). Copy tools that keep the
 * time (Finder, Explorer, cp -p) leave the two equal: then the shorter name, as every usual copy
 * name adds to the original's ('license (1).pdf', 'Copy of license.pdf', 'license - Copy.pdf'),
 * and walk order (sorted paths) last, so the choice never depends on timing.
 */
function keptBefore(candidate: ScannedFileDetail, kept: ScannedFileDetail): boolean {
  if (Math.abs(candidate.mtimeMs - kept.mtimeMs) > SAME_TIME_MS) return candidate.mtimeMs < kept.mtimeMs;
  const name = (f: ScannedFileDetail) => f.relPath.split(/[\\/]/).pop() ?? f.relPath;
  return name(candidate).length < name(kept).length;
}

async function classify(
  entry: WalkEntry,
  hooks: ScanHooks,
  progress: ScanProgress,
  thread?: FileIoThread,
): Promise<ScannedFileDetail> {
  const base: ScannedFileDetail = {
    id: randomUUID(),
    path: entry.path,
    relPath: entry.relPath,
    sizeBytes: 0,
    mtimeMs: 0,
    kind: 'skipped',
    skipReason: null,
    sha256: null,
    pages: null,
    duplicateOf: null,
    alreadyQueued: false,
    typeGuess: null,
  };
  if (entry.kind === 'skipped') return { ...base, skipReason: entry.reason };
  const size = entry.stat.size;
  const withStat = { ...base, sizeBytes: size, mtimeMs: entry.stat.mtimeMs };
  progress.bytes += size;
  if (size === 0) return { ...withStat, skipReason: 'empty file (0 bytes)' };
  const notPdf = { ...withStat, skipReason: 'not a PDF (does not start with %PDF-)' };
  try {
    const known = hooks.knownSha256?.(entry.path, size, entry.stat.mtimeMs) ?? null;
    let digest: { sha256: string; pages: number | null };
    if (known) {
      if (!(await startsWithPdfMagic(entry.path))) return notPdf;
      digest = { sha256: known, pages: null };
      progress.hashedBytes += size;
    } else {
      const read = await hashFile(entry.path, {
        signal: hooks.signal,
        thread,
        countPages: true,
        pdfOnly: true,
        onBytes: (n) => (progress.hashedBytes += n),
      });
      if (!read) return notPdf;
      digest = read;
    }
    return {
      ...withStat,
      kind: 'pdf',
      sha256: digest.sha256,
      pages: digest.pages,
      alreadyQueued: hooks.isQueued?.(digest.sha256) ?? false,
    };
  } catch (err) {
    if (hooks.signal?.aborted) throw err;
    return { ...withStat, skipReason: errorReason(err) };
  }
}
