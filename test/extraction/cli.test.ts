/** `credmate extract` as a real child process: one JSON line per file, input order, exit 0. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf, smallTextPdf } from '../fixtures/hostile/generate';

const root = path.resolve(import.meta.dirname, '../..');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'credmate-extract-cli-'));
  await writeFile(
    path.join(dir, 'dea.pdf'),
    await smallTextPdf('DRUG ENFORCEMENT ADMINISTRATION  DEA Registration Number: AP5836727'),
  );
  await writeFile(path.join(dir, 'locked.pdf'), encryptedPdf());
  await writeFile(path.join(dir, 'notes.pdf'), 'just some text');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('credmate extract', () => {
  it('answers every file in input order and exits 0 whatever they held', async () => {
    const files = ['dea.pdf', 'missing.pdf', 'locked.pdf', 'notes.pdf'].map((f) => path.join(dir, f));
    const { code, stdout } = await runCli(['extract', ...files]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.file)).toEqual(files);
    const first = lines[0] as {
      docType: string;
      fields: Record<string, { value: unknown } | null>;
      pages: number;
      ocr: boolean;
      ms: number;
      warnings: unknown[];
    };
    expect(first.docType).toBe('dea_registration');
    expect(first.fields.deaNumber?.value).toBe('AP5836727');
    expect(Object.keys(first)).toEqual([
      'file',
      'docType',
      'docTypeConfidence',
      'fields',
      'pages',
      'ocr',
      'ms',
      'warnings',
    ]);
    expect((lines[1]?.error as { code: string }).code).toBe('unreadable');
    expect((lines[2]?.error as { code: string }).code).toBe('encrypted');
    expect((lines[3]?.error as { code: string }).code).toBe('not_pdf');
  });

  it('--explain says which evidence decided the type and how each field was found', async () => {
    const { code, stdout } = await runCli(['extract', '--explain', path.join(dir, 'dea.pdf')]);
    expect(code).toBe(0);
    const line = JSON.parse(stdout.trim()) as {
      docType: string;
      explain: {
        evidence: { type: string; name: string; score: number }[];
        fields: Record<string, { method: string }>;
      };
    };
    expect(line.docType).toBe('dea_registration');
    expect(line.explain.evidence[0]).toMatchObject({ type: 'dea_registration', name: expect.stringContaining('DEA') });
    expect(['label-inline', 'label-below', 'statement', 'pattern', 'table', 'derived']).toContain(
      line.explain.fields.deaNumber?.method,
    );
    expect(line.explain.fields.registrantName).toBeUndefined();
  });

  it('prints help and rejects bad usage with exit 2', async () => {
    const help = await runCli(['extract', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: credmate extract');
    const bad = await runCli(['extract']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no files given');
  });
});
