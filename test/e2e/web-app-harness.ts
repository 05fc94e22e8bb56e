/**
 * Harness for the UI tests: runs the real `npm run web` (tsx main/web/index.ts) on a temp data dir,
 * parses its ready line, drives Debian's Chromium with playwright-core, and finds the bundled
 * server process it started (by its unique data dir) so a test can stop and continue it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/screenshots');

export interface WebApp {
  url: string;
  origin: string;
  token: string;
  proc: ChildProcess;
  stderr(): string;
  /** Calls a contract channel over the same HTTP transport the page uses. */
  rpc<T>(channel: string, arg?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** `env` adds to this process's environment for the app and the bundled server it starts (e.g. the server's limits). */
export async function startWebApp(dataDir: string, env: Record<string, string> = {}): Promise<WebApp> {
  const proc = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['main/web/index.ts', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm run web gave no ready line in 60 s; stderr: ${stderr}`)),
      60_000,
    );
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { event?: string; url?: string };
      if (msg.event === 'ready' && msg.url) {
        clearTimeout(timer);
        resolve(msg.url);
      }
    });
    proc.once('exit', (code) => reject(new Error(`npm run web exited (${code}) before ready: ${stderr}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    origin: parsed.origin,
    token,
    proc,
    stderr: () => stderr,
    async rpc<T>(channel: string, arg?: unknown) {
      const res = await fetch(`${parsed.origin}/rpc/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ arg: arg ?? null }),
      });
      const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`);
      return body.value as T;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** The pid of the bundled server started for `dataDir` (its command line names that dir). */
export function findServerPid(dataDir: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.endsWith('main/cli/index.ts')) && args.includes('server') && args.includes(dataDir))
        return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
