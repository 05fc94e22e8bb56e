/**
 * Scans for the Import screen: each scan streams progress and files to the bus, keeps its files
 * (so the renderer can ask for a preview's bytes or queue them by id) and can be cancelled.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../../common/errors';
import type { LocalBatch, ScanOptions } from '../../preload/contract';
import { scanFolder, type QueueStore, type ScannedFileDetail } from '../core';
import { queueScanHooks, queueScanned, type QueuedFiles } from '../core/session/import-policy';
import { guessDocType } from './doc-type-guess';
import type { EventBus } from './event-bus';
import { errorMessageForLog } from '../../common/log-redaction';

/** Previews read whole files into memory: beyond this the Import list shows no thumbnail. */
export const PREVIEW_MAX_BYTES = 64 * 1024 * 1024;
/** Finished scans kept for queueing; older ones are forgotten. */
const KEEP_SCANS = 5;

interface Scan {
  controller: AbortController;
  files: Map<string, ScannedFileDetail>;
  done: Promise<void>;
}

export interface ImportServiceOptions {
  store: QueueStore;
  bus: EventBus;
  /** Called after files were queued so an engine (when signed in) picks them up and applies the plan. */
  onQueued: (queued: QueuedFiles) => Promise<void>;
}

export class ImportService {
  private readonly scans = new Map<string, Scan>();

  constructor(private readonly opts: ImportServiceOptions) {}

  scan(options: ScanOptions): { scanId: string } {
    const scanId = randomUUID();
    const controller = new AbortController();
    const files = new Map<string, ScannedFileDetail>();
    const { store, bus } = this.opts;
    const done = scanFolder(options, {
      scanId,
      signal: controller.signal,
      onProgress: (progress) => bus.emit('scan.progress', progress),
      onFiles: (found) => {
        const withGuess = found.map((f) => ({ ...f, typeGuess: f.kind === 'pdf' ? guessDocType(f.relPath) : null }));
        for (const f of withGuess) files.set(f.id, f);
        bus.emit('scan.files', { scanId, files: withGuess.map(({ mtimeMs: _mtime, ...rest }) => rest) });
      },
      ...queueScanHooks(store),
    }).then(
      () => undefined,
      (err: unknown) => {
        if (controller.signal.aborted) return;
        bus.emit('scan.progress', {
          scanId,
          entriesSeen: 0,
          pdfs: 0,
          skipped: 0,
          duplicates: 0,
          bytes: 0,
          hashedBytes: 0,
          done: true,
          cancelled: true,
        });
        console.error(JSON.stringify({ level: 'error', msg: 'scan failed', error: errorMessageForLog(err) }));
      },
    );
    this.scans.set(scanId, { controller, files, done });
    while (this.scans.size > KEEP_SCANS) this.scans.delete(this.scans.keys().next().value as string);
    return { scanId };
  }

  cancel(scanId: string): void {
    this.get(scanId).controller.abort();
  }

  async readFile(scanId: string, fileId: string): Promise<Uint8Array> {
    const file = this.get(scanId).files.get(fileId);
    if (!file || file.kind !== 'pdf') throw new AppError('not_found', 'That file is not a PDF found by this scan.');
    if (file.sizeBytes > PREVIEW_MAX_BYTES)
      throw new AppError('too_large', `No preview for files over ${PREVIEW_MAX_BYTES / 1024 / 1024} MB.`);
    const changed = () =>
      new AppError(
        'not_found',
        'The file changed since the folder was scanned (or is now a link): scan the folder again.',
      );
    // Never through a link: a scanned PDF swapped for a symlink to another file must not be read back.
    const handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
      (err: NodeJS.ErrnoException) => {
        throw err.code === 'ELOOP'
          ? changed()
          : new AppError('not_found', 'The file is no longer readable where the scan found it.');
      },
    );
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size !== file.sizeBytes || Math.trunc(info.mtimeMs) !== Math.trunc(file.mtimeMs))
        throw changed();
      const bytes = new Uint8Array(await handle.readFile());
      if (new TextDecoder().decode(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) throw changed();
      return bytes;
    } finally {
      await handle.close();
    }
  }

  async queue(arg: {
    scanId: string;
    excludeFileIds?: string[];
    batchName?: string;
    provider?: string;
    startNow: boolean;
  }): Promise<LocalBatch> {
    const scan = this.get(arg.scanId);
    await scan.done;
    if (scan.controller.signal.aborted)
      throw new AppError('cancelled', 'This scan was cancelled: scan the folder again to queue it.');
    // The session's policy decides what happens to content queued before (import-policy.ts).
    const queued = queueScanned(this.opts.store, [...scan.files.values()], {
      batchName: arg.batchName,
      provider: arg.provider,
      excludeFileIds: arg.excludeFileIds,
      startNow: arg.startNow,
    });
    await this.opts.onQueued(queued);
    return queued.result.batch;
  }

  private get(scanId: string): Scan {
    const scan = this.scans.get(scanId);
    if (!scan) throw new AppError('not_found', 'That scan is no longer known: scan the folder again.');
    return scan;
  }
}
