/**
 * One pdf.js worker thread shared by the import preview's checks and thumbnails. A worker per
 * file cost a 1.2 MB script start each time (most of a small file's check), and a start that fails
 * under load makes pdf.js fall back to a main-thread "fake" worker for the rest of the page, which
 * the CSP forbids: every later PDF would then fail. A file that runs out of time may have left the
 * thread busy, so it is retired: new files get a fresh thread, and the old one ends once the files
 * still using it are done.
 */
import { PDFWorker } from 'pdfjs-dist';

interface SharedWorker {
  worker: PDFWorker;
  users: number;
  retired: boolean;
}

let current: SharedWorker | null = null;

export interface WorkerLease {
  worker: PDFWorker;
  release(): void;
  /** This file took too long: no new file is sent to this thread. */
  retire(): void;
}

export function leasePreviewWorker(): WorkerLease {
  if (!current || current.worker.destroyed) current = { worker: new PDFWorker(), users: 0, retired: false };
  const entry = current;
  entry.users += 1;
  const endIfIdle = () => {
    if (entry.retired && entry.users === 0) entry.worker.destroy();
  };
  let released = false;
  return {
    worker: entry.worker,
    release() {
      if (released) return;
      released = true;
      entry.users -= 1;
      endIfIdle();
    },
    retire() {
      entry.retired = true;
      if (current === entry) current = null;
      endIfIdle();
    },
  };
}
