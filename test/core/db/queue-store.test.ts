import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { PartStore } from '../../../main/core/db/part-store';
import { QueueStore, type NewQueueFile } from '../../../main/core/db/queue-store';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const file = (i: number): NewQueueFile => ({
  path: `/docs/f${i}.pdf`,
  relPath: `f${i}.pdf`,
  fileName: `f${i}.pdf`,
  sizeBytes: 1000 + i,
  mtimeMs: 1,
  sha256: i.toString(16).padStart(64, '0'),
  pages: 1,
});

describe('queue store', () => {
  it('opens with WAL and synchronous=FULL', () => {
    const db = openQueueDb(`${tmp.dir}/a/queue.sqlite`);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('queues, pages, counts and transitions files; state survives reopening', () => {
    const path = `${tmp.dir}/b/queue.sqlite`;
    let db = openQueueDb(path);
    let q = new QueueStore(db);
    const batch = q.createBatch('B1');
    const ids = q.addFiles(
      batch.id,
      Array.from({ length: 1200 }, (_, i) => file(i)),
    );
    expect(ids).toHaveLength(1200);
    const page = q.list({ offset: 1000, limit: 50 });
    expect(page.total).toBe(1200);
    expect(page.items.map((i) => i.fileName)).toEqual(Array.from({ length: 50 }, (_, i) => `f${1000 + i}.pdf`));
    const paused = q.transitionSelected({ fileIds: ids.slice(0, 3) }, ['queued'], 'paused');
    expect(paused).toEqual(ids.slice(0, 3));
    q.update(ids[3] as string, { state: 'failed', error: { kind: 'conflict', message: 'changed' } });
    db.close();

    db = openQueueDb(path);
    q = new QueueStore(db);
    const c = q.counts();
    expect(c.total).toBe(1200);
    expect(c.byState.paused).toBe(3);
    expect(c.byState.failed).toBe(1);
    expect(c.byState.queued).toBe(1196);
    expect(q.list({ offset: 0, limit: 10, state: 'failed' }).items[0]?.error).toEqual({
      kind: 'conflict',
      message: 'changed',
    });
    expect(q.listBatches()[0]?.fileCount).toBe(1200);
    db.close();
  });

  it('keeps recorded part ETags when the same upload resumes and drops them when the server starts over', () => {
    const db = openQueueDb(`${tmp.dir}/c/queue.sqlite`);
    const q = new QueueStore(db);
    const parts = new PartStore(db);
    const [id] = q.addFiles(q.createBatch('B').id, [{ ...file(1), sizeBytes: 12 }]);
    const fileId = id as string;
    const { parts: first, resumed: firstResumed } = parts.beginUpload(fileId, 12, 'up-1', 5, 3);
    expect(firstResumed).toBe(false);
    expect(first.map((p) => p.size_bytes)).toEqual([5, 5, 2]);
    expect(parts.markPartDone(fileId, 2, '"e2"')).toBe(5);
    expect(q.getFile(fileId)?.bytes_sent).toBe(5);
    const resumed = parts.beginUpload(fileId, 12, 'up-1', 5, 3);
    expect(resumed.resumed).toBe(true);
    expect(resumed.parts.filter((p) => p.state === 'done').map((p) => [p.part_number, p.etag])).toEqual([[2, '"e2"']]);
    const restarted = parts.beginUpload(fileId, 12, 'up-2', 5, 3).parts;
    expect(restarted.every((p) => p.state === 'pending')).toBe(true);
    expect(q.getFile(fileId)?.bytes_sent).toBe(0);
    db.close();
  });

  it('commits transfer progress with synchronous=NORMAL and returns to FULL, also when nested', async () => {
    const db = openQueueDb(`${tmp.dir}/e/queue.sqlite`);
    const q = new QueueStore(db);
    const parts = new PartStore(db);
    const [id] = q.addFiles(q.createBatch('B').id, [{ ...file(1), sizeBytes: 12 }]);
    parts.beginUpload(id as string, 12, 'up', 5, 3);
    parts.markPartDone(id as string, 1, '"e1"');
    parts.finishUpload(id as string, () => q.updateProgress(id as string, { state: 'uploaded' }));
    // The turn's progress writes share one transaction, committed at the end of the turn.
    expect(db.inTransaction).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(db.inTransaction).toBe(false);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(q.getFile(id as string)?.state).toBe('uploaded');
    expect(parts.getUpload(id as string)).toBeNull();
    db.close();
  });

  it('puts files caught mid-transfer back in the queue after a crash', () => {
    const db = openQueueDb(`${tmp.dir}/d/queue.sqlite`);
    const q = new QueueStore(db);
    const ids = q.addFiles(q.createBatch('B').id, [file(1), file(2), file(3)]);
    q.update(ids[0] as string, { state: 'uploading' });
    q.update(ids[1] as string, { state: 'completing' });
    q.update(ids[2] as string, { state: 'uploaded' });
    expect(q.requeueInterrupted()).toBe(2);
    expect(q.counts().byState).toMatchObject({ queued: 2, uploaded: 1, uploading: 0, completing: 0 });
    db.close();
  });
});
