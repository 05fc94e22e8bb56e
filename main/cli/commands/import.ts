/**
 * `credmate import <folder>`: scans a folder and uploads every PDF once, resuming whatever an
 * earlier run left unfinished. Exit 0 when every PDF ended uploaded or duplicate (or was imported
 * before), 1 when some failed (listed), 2 on bad usage.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../common/errors';
import type { ScanProgress } from '../../../preload/contract';
import { connectServer } from '../../core/session/connect';
import { importFolder, type ImportSummary } from '../../core/import-run/import-folder';
import { formatBytes, scanLine, uploadLine } from '../../core/import-run/progress-line';
import { DEFAULT_CONCURRENCY } from '../../core/upload/upload-engine';
import { dataDirOf, serverCredentials } from '../server-options';
import { formatBatchResults } from '../results-table';
import { runWatch } from './import-watch';

const USAGE = `usage: credmate import <folder> [options]

  --server URL        server to upload to (env CREDMATE_SERVER); omitted: start the bundled server
  --email E           account e-mail for --server (env CREDMATE_EMAIL)
  --password P        account password for --server (env CREDMATE_PASSWORD; else asked on a terminal)
  --data-dir DIR      data dir (env CREDMATE_DATA_DIR, default ~/.credmate); the queue lives in DIR/client
  --include GLOB      only paths (relative to the folder) matching GLOB; repeatable
  --exclude GLOB      skip paths matching GLOB; repeatable
  --concurrency N     simultaneous transfers (default ${DEFAULT_CONCURRENCY})
  --wait              after uploading, wait until every document has left processing, then show the
                      batch's results (success rate, timings, types, documents needing attention)
  --wait-timeout S    how long --wait waits, in seconds (default 900)
  --json              print one JSON summary on stdout instead of text
  --watch             after the import, keep watching the folder: each new or changed PDF is uploaded once
                      it stops growing, a line per file, until Ctrl-C or SIGTERM (then exit 0)
  --settle S          with --watch: seconds a file must stay unchanged before it is uploaded (default 3)`;

interface ImportArgs {
  folder: string;
  concurrency: number;
  waitTimeout: number;
  v: ReturnType<typeof parseImportArgs>['values'];
}

function parseImportArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'data-dir': { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      wait: { type: 'boolean' },
      'wait-timeout': { type: 'string' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      settle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The checked arguments, or the exit code when there is nothing to import (help, bad usage). */
function readArgs(argv: string[]): ImportArgs | number {
  let parsed;
  try {
    parsed = parseImportArgs(argv);
  } catch (err) {
    console.error(`credmate import: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`credmate import: give exactly one folder.\n\n${USAGE}`);
    return 2;
  }
  const concurrency = v.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(v.concurrency);
  const waitTimeout = v['wait-timeout'] === undefined ? 900 : Number(v['wait-timeout']);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    return usageError('--concurrency must be a whole number from 1 to 64.');
  if (!Number.isFinite(waitTimeout) || waitTimeout <= 0)
    return usageError('--wait-timeout must be a positive number of seconds.');
  const settle = v.settle === undefined ? 3 : Number(v.settle);
  if (!Number.isFinite(settle) || settle < 0.1 || settle > 3600)
    return usageError('--settle must be a number of seconds from 0.1 to 3600.');

  const folder = resolve(positionals[0] as string);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(
      `credmate import: ${folder} is not a folder (it does not exist, or is a file). Give the folder that holds the PDFs.`,
    );
    return 2;
  }
  return { folder, concurrency, waitTimeout, v };
}

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv);
  if (typeof args === 'number') return args;
  const { folder, concurrency, waitTimeout, v } = args;
  const dataDir = dataDirOf(v);
  const tty = !v.json && process.stderr.isTTY === true;
  const status = tty ? new StatusLine() : null;
  const stop = new AbortController();
  const onSignal = (): void =>
    stop.abort(
      new AppError('cancelled', 'Interrupted: finished parts are recorded; run the same command again to resume.'),
    );
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let connection;
  let scanning: ScanProgress | null = null;
  let uploading = false;
  try {
    const credentials = await serverCredentials(v);
    connection = await connectServer(credentials, dataDir);
    if (!v.json) {
      void connection.signedIn.then(
        (ok) =>
          ok ||
          console.error(
            `credmate import: ${credentials.url} does not answer; files are queued and upload when it does (Ctrl-C to stop).`,
          ),
        () => undefined, // importFolder reports a refused sign-in
      );
    }
    const summary = await importFolder({
      folder,
      dataDir,
      api: connection.api,
      reauth: connection.reauth,
      signedIn: connection.signedIn,
      serverMode: connection.mode,
      include: v.include,
      exclude: v.exclude,
      concurrency,
      waitSeconds: v.wait ? waitTimeout : 0,
      signal: stop.signal,
      // Uploads start while the scan runs: one line shows both until the scan is done.
      onScanProgress: status
        ? (p) => {
            scanning = p.done ? null : p;
            if (!p.done && !uploading) status.show(scanLine(p));
          }
        : undefined,
      onUploadProgress: status
        ? (s) => {
            uploading = true;
            status.show(scanning ? `${uploadLine(s)}  (still scanning: ${scanning.pdfs} PDFs found)` : uploadLine(s));
          }
        : undefined,
    });
    status?.clear();
    if (v.json) console.log(JSON.stringify(summary, null, 2));
    else printSummary(summary);
    const ok = summary.counts.failed === 0 && (!summary.processing || !summary.processing.timedOut);
    // With --watch, the first import's failures still decide the exit code when the watch ends.
    const watched =
      v.watch && !stop.signal.aborted ? await runWatch(connection, { ...args, dataDir, signal: stop.signal }) : 0;
    return ok ? watched : 1;
  } catch (err) {
    status?.clear();
    const message = err instanceof Error ? err.message : String(err);
    if (v.json)
      console.log(JSON.stringify({ error: { kind: err instanceof AppError ? err.kind : 'internal', message } }));
    else console.error(`credmate import: ${message}`);
    return stop.signal.aborted ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await connection?.close();
  }
}

function usageError(message: string): number {
  console.error(`credmate import: ${message}\n\n${USAGE}`);
  return 2;
}

/** Redraws one line on the terminal, at most every 200 ms. */
class StatusLine {
  private last = 0;
  show(text: string): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const width = process.stderr.columns || 100;
    process.stderr.write(`\r${text.slice(0, width - 1).padEnd(width - 1)}`);
  }
  clear(): void {
    process.stderr.write(`\r${' '.repeat((process.stderr.columns || 100) - 1)}\r`);
  }
}

function printSummary(s: ImportSummary): void {
  const c = s.counts;
  const rate = s.uploadSeconds > 0 ? ` (${(s.bytes.sent / 1e6 / s.uploadSeconds).toFixed(1)} MB/s)` : '';
  console.log(
    `Imported ${s.folder}: ${c.pdfs} PDFs: ${c.uploaded} uploaded, ${c.duplicate} duplicates, ${c.alreadyImported} imported before, ${c.failed} failed; ${c.skipped} other files skipped.`,
  );
  console.log(`${formatBytes(s.bytes.sent)} sent in ${s.uploadSeconds} s${rate}.`);
  if (s.processing) {
    const parts = Object.entries(s.processing.byStatus).map(([k, n]) => `${n} ${k}`);
    console.log(
      `Processing: ${parts.join(', ') || 'nothing to wait for'}${s.processing.timedOut ? ` (stopped waiting; ${s.processing.stillProcessing} still processing)` : ''}.`,
    );
  }
  if (s.results) console.log(['', ...formatBatchResults(s.results), ''].join('\n'));
  if (s.resultsError) console.log(`The batch's results could not be read: ${s.resultsError}`);
  if (s.skipped.length) {
    console.log('Skipped:');
    for (const k of s.skipped.slice(0, 50)) console.log(`  ${k.path}: ${k.reason}`);
    if (s.skipped.length > 50) console.log(`  ... and ${s.skipped.length - 50} more (use --json for all)`);
  }
  if (s.failed.length) {
    console.error('Failed:');
    for (const f of s.failed) console.error(`  ${f.path}: ${f.message}`);
  }
}
