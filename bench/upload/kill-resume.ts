import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { queueDbPath } from '../../main/core/db/open-queue-db';

export interface KillResumeFigures {
  totalBytes: number;
  recordedBeforeKill: number;
  sentAfterRestart: number;
  /** Bytes sent a second time: parts stored or in flight but not yet recorded at the kill. */
  resentBytes: number;
  partsInFlightBound: number;
}

const cli = (args: string[]): ReturnType<typeof spawn> =>
  spawn(process.execPath, [resolve('scripts/credmate.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

function recordedBytes(dataDir: string): number {
  const file = queueDbPath(dataDir);
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const r = db.prepare("SELECT coalesce(sum(size_bytes), 0) AS n FROM parts WHERE state = 'done'").get() as {
      n: number;
    };
    const f = db
      .prepare("SELECT coalesce(sum(size_bytes), 0) AS n FROM files WHERE state IN ('uploaded', 'duplicate')")
      .get() as { n: number };
    return r.n + f.n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

/**
 * SIGKILLs `credmate import` once a third of the bytes are recorded, runs it again, and measures
 * from the client's own record what the second run had to send beyond what was still missing.
 */
export async function killAndResume(
  folder: string,
  totalBytes: number,
  importArgs: string[],
  dataDir: string,
  concurrency: number,
  partBytes: number,
): Promise<KillResumeFigures> {
  const first = cli(['import', folder, ...importArgs]);
  const exited = new Promise<void>((r) => first.once('exit', () => r()));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && recordedBytes(dataDir) < totalBytes / 3) await new Promise((r) => setTimeout(r, 100));
  first.kill('SIGKILL');
  await exited;
  const recordedBeforeKill = recordedBytes(dataDir);
  const second = cli(['import', folder, ...importArgs]);
  let out = '';
  second.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((r) => second.once('exit', () => r()));
  const sentAfterRestart = (JSON.parse(out) as { bytes: { sent: number } }).bytes.sent;
  return {
    totalBytes,
    recordedBeforeKill,
    sentAfterRestart,
    resentBytes: sentAfterRestart - (totalBytes - recordedBeforeKill),
    partsInFlightBound: concurrency * partBytes,
  };
}
