/**
 * A check thread's body for pdf-check-lifecycle.test.ts, in place of pdf-check-thread.ts: it says
 * ready at once, answers every file as readable, then fails while idle as the file's name asks (an
 * uncaught error, or an exit), as pdf.js failing late after a hostile file would.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage({ ready: true });

parentPort?.on('message', (req: { path: string }) => {
  parentPort?.postMessage({ ok: true });
  // After the answer, so the failure comes while the thread is idle.
  if (req.path.endsWith('throw-when-idle.pdf'))
    setTimeout(() => {
      throw new Error('the check thread failed while idle');
    }, 100);
  if (req.path.endsWith('exit-when-idle.pdf')) setTimeout(() => process.exit(3), 100);
});
