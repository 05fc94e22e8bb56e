/**
 * The preflight's rules (limits, reasons) and what the import slice does with its results:
 * problem files are left out of the upload unless ticked, the upload waits for every check,
 * and a file reported again by the scan replaces its earlier copy.
 */
import { describe, expect, it } from 'vitest';
import { checkLimits, NO_LIMITS, problemForOpenError } from '../../common/pdf-preflight';
import { createAppStore } from '../../renderer/store/app-store';
import { mergeScanFiles, preflightPending, queueableFiles } from '../../renderer/store/import-files';
import { createFakeApi } from './fake-api';
import { scanned } from './store-fixtures';

const MB = 1024 * 1024;

describe('preflight rules', () => {
  it("checks size and pages against the server's limits, and nothing where the server gave none", () => {
    const limits = { maxBytes: 50 * MB, maxPages: 100 };
    expect(checkLimits({ sizeBytes: 120 * MB, pages: 3 }, limits)).toEqual({
      code: 'too_large',
      reason: '120.0 MB; the server accepts up to 50 MB. Split or compress the PDF.',
    });
    expect(checkLimits({ sizeBytes: MB, pages: 101 }, limits)?.code).toBe('too_many_pages');
    expect(checkLimits({ sizeBytes: 50 * MB, pages: 100 }, limits)).toBeNull();
    expect(checkLimits({ sizeBytes: 120 * MB, pages: 500 }, NO_LIMITS)).toBeNull();
    // A limit under a megabyte is said in kB, not rounded to "0 MB".
    expect(checkLimits({ sizeBytes: 150_000, pages: 1 }, { maxBytes: 100_000, maxPages: null })?.reason).toBe(
      '147 kB; the server accepts up to 97 kB. Split or compress the PDF.',
    );
  });

  it("names pdf.js's refusals: a password is encryption, anything else is damage", () => {
    const password = Object.assign(new Error('No password given'), { name: 'PasswordException' });
    expect(problemForOpenError(password).code).toBe('encrypted');
    const invalid = Object.assign(new Error('Invalid PDF structure.'), { name: 'InvalidPDFException' });
    expect(problemForOpenError(invalid)).toMatchObject({
      code: 'damaged',
      reason: expect.stringContaining('truncated'),
    });
  });
});

describe('import slice with preflight', () => {
  const problem = { ok: false as const, problem: { code: 'encrypted' as const, reason: 'Password-protected.' } };

  it('leaves out problem files unless included anyway, and counts files still being checked', () => {
    const files = [scanned('a'), scanned('b'), scanned('c'), scanned('d', { duplicateOf: 'a' })];
    const preflight = { a: { ok: true as const }, b: problem };
    expect(preflightPending(files, preflight)).toBe(1);
    expect(queueableFiles(files, new Set(), preflight).map((f) => f.id)).toEqual(['a', 'c']);
    expect(queueableFiles(files, new Set(), preflight, new Set(['b'])).map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('sends held-back files as exclusions, and not once the user includes them', async () => {
    const batch = { id: 'lb1', name: 'x', createdAt: 'now', serverBatchId: null, fileCount: 1 };
    const fake = createFakeApi({ 'import.scan': () => ({ scanId: 's1' }), 'import.queue': () => batch });
    const store = createAppStore(fake.api);
    await store.getState().startScan(['/in']);
    store.getState().applyScanFiles('s1', [scanned('a'), scanned('b')]);
    store.getState().setPreflight('s1', 'a', { ok: true });
    store.getState().setPreflight('s1', 'b', problem);
    // A result of an older scan is ignored.
    store.getState().setPreflight('old', 'a', problem);
    await store.getState().queueScan(true);
    expect(fake.calls.at(-1)?.arg).toMatchObject({ excludeFileIds: ['b'] });
    store.getState().toggleIncludedAnyway('b');
    await store.getState().queueScan(true);
    expect(fake.calls.at(-1)?.arg).toMatchObject({ excludeFileIds: [] });
  });

  it('checks again when the limits change', async () => {
    const fake = createFakeApi({ 'import.scan': () => ({ scanId: 's1' }) });
    const store = createAppStore(fake.api);
    await store.getState().startScan(['/in']);
    store.getState().setPreflight('s1', 'a', { ok: true });
    store.getState().setPreflightLimits({ maxBytes: MB, maxPages: 10 });
    expect(store.getState().preflight).toEqual({});
    store.getState().setPreflight('s1', 'a', { ok: true });
    store.getState().setPreflightLimits({ maxBytes: MB, maxPages: 10 });
    expect(store.getState().preflight).toEqual({ a: { ok: true } });
  });

  it('replaces a file the scan reports again (now a duplicate) in place', () => {
    const merged = mergeScanFiles(
      [scanned('a'), scanned('b')],
      [scanned('a', { duplicateOf: 'c' }), scanned('c'), scanned('c')],
    );
    expect(merged.map((f) => [f.id, f.duplicateOf])).toEqual([
      ['a', 'c'],
      ['b', null],
      ['c', null],
    ]);
  });
});
