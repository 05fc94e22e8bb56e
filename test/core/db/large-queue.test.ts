import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openQueueDb } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { queueScan } from '../../../main/core/queue-scan';
import { scanFolder } from '../../../main/core/scan/scan-folder';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-10k-');
afterAll(() => tmp.cleanup());
const N = 10_000;

describe('a 10,000-file folder', () => {
  it('scans without starving the event loop, queues in bounded memory, and pages through every file', async () => {
    const folder = join(tmp.dir, 'docs');
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(folder, `dir-${d}`), { recursive: true });
      for (let i = 0; i < N / 20; i++) writeFileSync(join(folder, `dir-${d}`, `f-${i}.pdf`), `%PDF-1.4\n% ${d}/${i}\n`);
    }
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    let progressEvents = 0;
    const scan = await scanFolder({ paths: [folder] }, { onProgress: () => progressEvents++ });
    clearInterval(ticker);
    expect(scan.files.filter((f) => f.kind === 'pdf')).toHaveLength(N);
    // Other work ran while the scan went on, and progress came in steps, not just at the end.
    expect(ticks).toBeGreaterThan(5);
    expect(progressEvents).toBeGreaterThan(5);

    const db = openQueueDb(join(tmp.dir, 'queue.sqlite'));
    const store = new QueueStore(db);
    const queued = queueScan(store, scan.files, { batchName: '10k' });
    expect(queued.queued).toHaveLength(N);
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    // 10,000 small records: tens of MB at most, nowhere near file contents or an unbounded buffer.
    expect(rssGrowth).toBeLessThan(200 * 1024 * 1024);

    const seen = new Set<string>();
    for (let offset = 0; offset < N; offset += 500) {
      const page = store.list({ offset, limit: 500, batchId: queued.batch.id });
      expect(page.total).toBe(N);
      expect(page.items).toHaveLength(500);
      for (const item of page.items) seen.add(item.id);
    }
    expect(seen.size).toBe(N);
    expect(store.list({ offset: N - 7, limit: 500 }).items).toHaveLength(7);
    expect(store.list({ offset: 0, limit: 100, state: 'queued' }).total).toBe(N);
    // The planner pages with the index, never a full scan plus sort.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM files WHERE state = 'queued' ORDER BY seq LIMIT 100")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX files_state/);
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    expect(store.counts().byState.queued).toBe(N);
    db.close();
  });
});
