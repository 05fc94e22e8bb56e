import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..', '..');
// Inside the checkout so the built files resolve node_modules as the packaged app does.
const OUT = path.join(REPO, 'test-output', `electron-build-${process.pid}`);

/**
 * The Electron app's main-process bundle as electron-vite builds it. The Electron binary cannot
 * run here, but its bundled server runs in a utilityProcess, which is plain Node: build it, check
 * every emitted module compiles as ESM (a module declaring its own `require` once clashed with
 * electron-vite's shim and the packaged server died at start), and start the server host with a
 * stand-in for Electron's parentPort until it prints its ready line; then run the built watched-folder
 * PDF check thread (pdf.js's legacy build with the preflight shared with the preview) on a blank PDF.
 */
describe('Electron build', () => {
  afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

  it('emits main-process modules that compile and a bundled server that starts', async () => {
    await run(
      process.execPath,
      [path.join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', OUT],
      { cwd: REPO, timeout: 120_000 },
    );
    const mainDir = path.join(OUT, 'main');
    const modules = fs.readdirSync(mainDir).filter((f) => f.endsWith('.js'));
    expect(modules).toEqual(
      expect.arrayContaining(['server-host.js', 'worker-entry.js', 'sandbox-worker.js', 'embedded-store-thread.js']),
    );
    for (const file of modules) {
      await expect(
        run(process.execPath, ['--experimental-default-type=module', '--check', path.join(mainDir, file)]),
        file,
      ).resolves.toBeDefined();
    }

    // Electron's utilityProcess, minus Electron: a parentPort nobody talks to.
    const launcher = path.join(OUT, 'utility-process.mjs');
    fs.writeFileSync(
      launcher,
      `process.parentPort = { on() {}, once() {}, postMessage() {}, start() {} };\nawait import(${JSON.stringify(path.join(mainDir, 'server-host.js'))});\n`,
    );
    const host = spawn(
      process.execPath,
      [launcher, '--data-dir', path.join(OUT, 'data'), '--port', '0', '--workers', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    host.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const ready = await new Promise<{ event: string; api: string }>((resolve, reject) => {
        let out = '';
        host.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { event: string; api: string });
        });
        host.once('exit', (code) => reject(new Error(`server host exited (${code}): ${stderr.slice(-500)}`)));
        setTimeout(() => reject(new Error(`no ready line in 60 s: ${stderr.slice(-500)}`)), 60_000);
      });
      expect(ready.event).toBe('ready');
      const health = await fetch(`${ready.api}/health`);
      expect(health.status).toBe(200);
    } finally {
      host.kill('SIGTERM');
      await new Promise((r) => host.once('exit', r));
    }

    // The watched folders' PDF check thread as built: it loads pdf.js and answers as the preview would.
    const blank = await PDFDocument.create();
    blank.addPage([612, 792]);
    const blankPath = path.join(OUT, 'blank.pdf');
    fs.writeFileSync(blankPath, await blank.save());
    const thread = new Worker(path.join(mainDir, 'pdf-check-thread.js'));
    try {
      const reply = await new Promise<unknown>((resolve, reject) => {
        thread.on('message', (m: { ready?: boolean }) =>
          m.ready === true ? thread.postMessage({ path: blankPath, maxPages: null }) : resolve(m),
        );
        thread.once('error', reject);
        setTimeout(() => reject(new Error('the built PDF check thread gave no answer in 60 s')), 60_000);
      });
      expect(reply).toEqual({
        ok: false,
        problem: { code: 'no_content', reason: 'Its page has no text and no image: it looks blank.' },
      });
    } finally {
      await thread.terminate();
    }
  }, 180_000);
});
