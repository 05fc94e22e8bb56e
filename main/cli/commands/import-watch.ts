/**
 * The `--watch` half of `credmate import`: after the first import, watch the folder and upload
 * each new or changed PDF once it stops growing, a line per file, until SIGINT or SIGTERM; then
 * stop cleanly (the queue records where each transfer stands) and exit 0.
 */
import { formatBytes } from '../../core/import-run/progress-line';
import type { ServerConnection } from '../../core/session/connect';
import { watchFolderRun, type WatchRunLine } from '../../core/watch/watch-run';

export interface WatchCommandOptions {
  folder: string;
  dataDir: string;
  concurrency: number;
  /** The parsed command line: `json`, and `settle` in seconds (checked by the import's argument checks). */
  v: { json?: boolean; settle?: string };
  signal: AbortSignal;
}

function describeLine(line: WatchRunLine): string {
  switch (line.event) {
    case 'watching':
      return `Watching ${line.folder} for new or changed PDFs (Ctrl-C to stop).`;
    case 'queued':
      return `queued ${line.path} (${formatBytes(line.sizeBytes)})`;
    case 'already-imported':
      return `already imported ${line.path} (same content as a file queued before)`;
    case 'skipped':
      return `skipped ${line.path}: ${line.reason}`;
    case 'uploaded':
      return `uploaded ${line.path}`;
    case 'duplicate':
      return `duplicate ${line.path} (already on the server)`;
    case 'failed':
      return `failed ${line.path}: ${line.message}`;
  }
}

export async function runWatch(
  connection: Pick<ServerConnection, 'api' | 'reauth' | 'mode' | 'signedIn'>,
  opts: WatchCommandOptions,
): Promise<number> {
  const json = opts.v.json === true;
  const summary = await watchFolderRun({
    folder: opts.folder,
    dataDir: opts.dataDir,
    api: connection.api,
    reauth: connection.reauth,
    serverMode: connection.mode,
    signedIn: connection.signedIn,
    concurrency: opts.concurrency,
    settleMs: (opts.v.settle === undefined ? 3 : Number(opts.v.settle)) * 1000,
    signal: opts.signal,
    onLine: (line) => console.log(json ? JSON.stringify(line) : describeLine(line)),
  });
  if (json) console.log(JSON.stringify({ event: 'stopped', ...summary }));
  else
    console.log(
      `Stopped watching: ${summary.queued} queued, ${summary.uploaded} uploaded, ${summary.failed} failed while watching.`,
    );
  return 0;
}
