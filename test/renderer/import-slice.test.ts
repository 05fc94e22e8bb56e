import { BridgeError } from '../../renderer/bridge/bridge-error';
import { describe, expect, it } from 'vitest';
import { connectEvents, createAppStore } from '../../renderer/store/app-store';
import { queueableFiles } from '../../renderer/store/import-files';
import { createFakeApi } from './fake-api';
import { scanned } from './store-fixtures';

const progress = (scanId: string, done: boolean) => ({
  scanId,
  entriesSeen: 3,
  pdfs: 2,
  skipped: 1,
  duplicates: 0,
  bytes: 3000,
  hashedBytes: 3000,
  done,
  cancelled: false,
});

describe('import slice', () => {
  it('keeps files that arrive before the scan id, and drops those of other scans', async () => {
    let release!: () => void;
    const fake = createFakeApi({ 'import.scan': () => new Promise((r) => (release = () => r({ scanId: 's1' }))) });
    const store = createAppStore(fake.api);
    connectEvents(store, fake.api);
    const scanning = store.getState().startScan(['/in']);
    fake.emit('scan.files', { scanId: 's1', files: [scanned('a')] });
    fake.emit('scan.files', { scanId: 'old', files: [scanned('z')] });
    fake.emit('scan.progress', progress('s1', false));
    release();
    await scanning;
    fake.emit('scan.files', { scanId: 's1', files: [scanned('b')] });
    fake.emit('scan.files', { scanId: 'old', files: [scanned('y')] });
    const s = store.getState();
    expect(s.scanId).toBe('s1');
    expect(s.scanFiles.map((f) => f.id)).toEqual(['a', 'b']);
    expect(s.scanProgress?.scanId).toBe('s1');
    expect(s.batchName).toMatch(/^in \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('queues only PDFs that are not duplicates, not imported before and not excluded', () => {
    const files = [
      scanned('a'),
      scanned('b', { duplicateOf: 'a' }),
      scanned('c', { alreadyQueued: true }),
      scanned('d', { kind: 'skipped', skipReason: 'not a PDF' }),
      scanned('e'),
    ];
    expect(queueableFiles(files, new Set(['e'])).map((f) => f.id)).toEqual(['a']);
  });

  it('sends exclusions, provider and batch name with the queue request and remembers the batch', async () => {
    const batch = { id: 'lb1', name: 'Spring', createdAt: 'now', serverBatchId: null, fileCount: 1 };
    const fake = createFakeApi({ 'import.scan': () => ({ scanId: 's1' }), 'import.queue': () => batch });
    const store = createAppStore(fake.api);
    await store.getState().startScan(['/in']);
    store.getState().toggleExcluded('b');
    store.getState().toggleExcluded('c');
    store.getState().toggleExcluded('c');
    store.getState().setImportFields({ provider: '  Dr. Who ', batchName: 'Spring' });
    await expect(store.getState().queueScan(false)).resolves.toEqual(batch);
    expect(fake.calls.at(-1)).toEqual({
      channel: 'import.queue',
      arg: { scanId: 's1', excludeFileIds: ['b'], batchName: 'Spring', provider: 'Dr. Who', startNow: false },
    });
    expect(store.getState().lastQueuedBatch).toEqual(batch);
  });

  it('passes name filters to the scan, leaving out empty ones', async () => {
    const fake = createFakeApi({ 'import.scan': () => ({ scanId: 's1' }) });
    const store = createAppStore(fake.api);
    await store.getState().startScan(['/in'], { include: ['2025/**', ''], exclude: [] });
    expect(fake.calls[0]).toEqual({ channel: 'import.scan', arg: { paths: ['/in'], include: ['2025/**'] } });
  });

  it('shows the error text when the scan is refused', async () => {
    const fake = createFakeApi({
      'import.scan': () =>
        Promise.reject(new BridgeError('invalid_input', 'Bad argument for import.scan at "paths": too small.')),
    });
    const { withBridgeErrors } = await import('../../renderer/bridge/api');
    const store = createAppStore(withBridgeErrors(fake.api));
    await store.getState().startScan(['/in']);
    expect(store.getState().importError).toBe('Bad argument for import.scan at "paths": too small.');
    expect(store.getState().importBusy).toBe(false);
  });
});
