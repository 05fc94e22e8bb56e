import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePdf, makeScannedPdf } from '../core/fixtures/make-pdf';
import { makeTempDir } from '../core/fixtures/temp-dir';
import { startTestServer } from '../helpers/test-server';
import { startCli, until } from './run-cli';

const tmp = makeTempDir('credmate-cli-');
afterAll(() => tmp.cleanup());
const isRoot = process.getuid?.() === 0;

/** Live extraction workers of a data dir: their config (in their environment) names it. */
function workersOf(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`"dataDir":${JSON.stringify(dataDir)}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface Summary {
  counts: Record<string, number>;
  skipped: { path: string; reason: string }[];
  failed: unknown[];
  bytes: { total: number; sent: number };
  processing?: { byStatus: Record<string, number>; stillProcessing: number; timedOut: boolean };
}

describe('credmate import with the bundled server', () => {
  it('uploads the PDFs, reports the rest with reasons, waits for processing, and uploads nothing on a second run', async () => {
    const folder = join(tmp.dir, 'mixed');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    writeFileSync(join(folder, 'license.pdf'), await makePdf('State medical license', 1));
    writeFileSync(join(folder, 'nested', 'board-cert.pdf'), await makePdf('Board certification', 2));
    writeFileSync(join(folder, 'nested', 'same-license.pdf'), await makePdf('State medical license', 1));
    // A scan: the bundled server's worker must OCR it (its threads once failed to start there).
    writeFileSync(join(folder, 'scan.pdf'), await makeScannedPdf('Curriculum Vitae'));
    writeFileSync(join(folder, 'readme.txt'), 'not a pdf');
    writeFileSync(join(folder, 'empty.pdf'), '');
    symlinkSync(join(folder, 'gone.pdf'), join(folder, 'dangling.pdf'));
    execFileSync('mkfifo', [join(folder, 'fifo.pdf')]);
    if (!isRoot) {
      writeFileSync(join(folder, 'locked.pdf'), await makePdf('locked', 1));
      chmodSync(join(folder, 'locked.pdf'), 0o000);
    }
    const dataDir = join(tmp.dir, 'data');
    const args = ['import', folder, '--data-dir', dataDir, '--json', '--wait', '--wait-timeout', '240'];

    const first = await startCli(args).done;
    expect(first.code, first.stderr).toBe(0);
    const s1 = JSON.parse(first.stdout) as Summary;
    expect(s1.counts).toMatchObject({ pdfs: 4, uploaded: 3, duplicate: 1, failed: 0 });
    const reasons = new Map(s1.skipped.map((k) => [k.path.split('/').pop(), k.reason]));
    expect(reasons.get('readme.txt')).toMatch(/not a PDF/);
    expect(reasons.get('empty.pdf')).toMatch(/empty/);
    expect(reasons.get('dangling.pdf')).toMatch(/unreadable/);
    expect(reasons.get('fifo.pdf')).toMatch(/not a regular file/);
    if (!isRoot) expect(reasons.get('locked.pdf')).toMatch(/permission denied/);
    expect(s1.processing?.timedOut).toBe(false);
    expect(s1.processing?.stillProcessing).toBe(0);
    expect(Object.values(s1.processing?.byStatus ?? {}).reduce((a, b) => a + b, 0)).toBe(3);
    expect(s1.processing?.byStatus.review_pending).toBe(3);
    expect(s1.processing?.byStatus.processing ?? 0).toBe(0);
    expect(s1.processing?.byStatus.uploaded ?? 0).toBe(0);

    const second = await startCli(['import', folder, '--data-dir', dataDir, '--json']).done;
    expect(second.code, second.stderr).toBe(0);
    const s2 = JSON.parse(second.stdout) as Summary;
    expect(s2.counts).toMatchObject({ uploaded: 0, alreadyImported: 3, failed: 0 });
    expect(s2.bytes.sent).toBe(0);

    const status = await startCli(['status', '--data-dir', dataDir, '--json']).done;
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ files: 3, byState: { uploaded: 3 } });
  });

  it('counts a file once when the copy found first turns out to be the later copy', async () => {
    const folder = join(tmp.dir, 'copies');
    mkdirSync(folder, { recursive: true });
    const bytes = await makePdf('DEA registration', 1);
    // Walked first, but made later: the original is b-license.pdf, and the scan says so after it
    // had reported a-copy.pdf as the first of its content.
    writeFileSync(join(folder, 'b-license.pdf'), bytes);
    utimesSync(join(folder, 'b-license.pdf'), new Date('2024-01-01'), new Date('2024-01-01'));
    writeFileSync(join(folder, 'a-copy.pdf'), bytes);
    writeFileSync(join(folder, 'c-other.pdf'), await makePdf('CME certificate', 1));
    const run = await startCli(['import', folder, '--data-dir', join(tmp.dir, 'data-copies'), '--json']).done;
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.counts).toMatchObject({ pdfs: 3, uploaded: 2, duplicate: 1, failed: 0 });
  });

  it('exits non-zero and names the problem for a folder that does not exist', async () => {
    const r = await startCli(['import', join(tmp.dir, 'nope'), '--data-dir', join(tmp.dir, 'data2')]).done;
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/nope/);
  });

  it("stops with the server's answer when the sign-in is refused, uploading nothing", async () => {
    const srv = await startTestServer({ env: { CREDMATE_WORKERS: '0' } });
    try {
      await srv.addUser({ org: 'Clinic', email: 'coord@clinic.test', password: 'the right password 1' });
      const folder = join(tmp.dir, 'refused');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'license.pdf'), await makePdf('State medical license', 1));
      const args = [
        'import',
        folder,
        '--server',
        srv.apiUrl,
        '--email',
        'coord@clinic.test',
        '--password',
        'a wrong password',
        '--data-dir',
        join(tmp.dir, 'data-refused'),
      ];
      const r = await startCli(args).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/email or password/i);
      const token = await srv.login('coord@clinic.test', 'the right password 1');
      const docs = await srv.api<{ documents: unknown[] }>(token, 'GET', '/changes?since=0');
      expect(docs.body.documents).toEqual([]);
    } finally {
      await srv.stop();
    }
  });

  it('takes its bundled server down with it when the import is SIGKILLed', async () => {
    const folder = join(tmp.dir, 'one');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.pdf'), await makePdf('a', 1));
    const dataDir = join(tmp.dir, 'data3');
    const run = startCli(['import', folder, '--data-dir', dataDir, '--json']);
    const serverPid = (): number | null => {
      const out = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(run.child.pid)], { encoding: 'utf8' }).stdout;
      const line = out.split('\n').find((l) => l.includes(' server '));
      return line ? Number(line.trim().split(/\s+/)[0]) : null;
    };
    let pid: number | null = null;
    await until(() => (pid = serverPid()) !== null, 60_000, 'the bundled server to start');
    run.child.kill('SIGKILL');
    await run.done;
    const alive = (): boolean => {
      try {
        process.kill(pid as number, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => !alive(), 30_000, 'the orphaned server to exit');
    expect(alive()).toBe(false);
    // Its extraction workers too, even one still loading when the server went (Linux: found by
    // the data dir in the environment the server handed them).
    await until(() => workersOf(dataDir).length === 0, 30_000, 'its extraction workers to exit');
  });
});
