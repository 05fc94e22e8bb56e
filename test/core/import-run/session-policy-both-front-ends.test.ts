/**
 * One policy, two front ends. The same queue history (content an earlier import left cancelled,
 * failed, paused and uploaded) meets the desktop's Import service and `credmate import`'s
 * importFolder (against the real bundled server): both count a cancelled copy as not imported,
 * both retry the failed and cancelled copies and resume the paused one instead of queueing them
 * again, and both leave the uploaded one alone. Before the session they disagreed on cancelled.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScannedFile } from '../../../common/domain';
import { ApiClient } from '../../../main/core/api-client';
import { startBundledServer, type BundledServer } from '../../../main/core/bundled-server/start-bundled-server';
import { openQueueDb, queueDbPath } from '../../../main/core/db/open-queue-db';
import { QueueStore } from '../../../main/core/db/queue-store';
import { importFolder } from '../../../main/core/import-run/import-folder';
import { hashFile } from '../../../main/core/scan/hash-file';
import type { QueuedFiles } from '../../../main/core/session/import-policy';
import { signInLocally } from '../../../main/core/session/local-sign-in';
import { createEventBus } from '../../../main/services/event-bus';
import { ImportService } from '../../../main/services/import-service';
import { makePdf } from '../fixtures/make-pdf';
import { makeTempDir } from '../fixtures/temp-dir';

const tmp = makeTempDir('credmate-policy-');
const folder = join(tmp.dir, 'folder');
const HISTORY = ['cancelled', 'failed', 'paused', 'uploaded'] as const;
type Earlier = (typeof HISTORY)[number];

/** A queue in which an earlier import left each file of the folder in one state; file name → queue id. */
async function seedQueue(dataDir: string): Promise<Record<Earlier, string>> {
  const db = openQueueDb(queueDbPath(dataDir));
  const store = new QueueStore(db);
  const batch = store.createBatch('earlier import', null);
  const ids = {} as Record<Earlier, string>;
  for (const state of HISTORY) {
    const path = join(folder, `${state}.pdf`);
    const { sha256 } = await hashFile(path);
    const sizeBytes = statSync(path).size;
    const [id] = store.addFiles(batch.id, [
      { path, relPath: `${state}.pdf`, fileName: `${state}.pdf`, sizeBytes, mtimeMs: 0, sha256, pages: 1 },
    ]);
    store.transitionSelected({ fileIds: [id!] }, ['queued'], state);
    ids[state] = id!;
  }
  db.close();
  return ids;
}

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  for (const state of HISTORY) writeFileSync(join(folder, `${state}.pdf`), await makePdf(`Credential left ${state}`));
});
afterAll(() => tmp.cleanup());

describe('the import policy, seen through both front ends', () => {
  it('desktop: a cancelled copy is offered again; failed and cancelled are retried, paused resumed, uploaded done', async () => {
    const dataDir = join(tmp.dir, 'desktop');
    const ids = await seedQueue(dataDir);
    const db = openQueueDb(queueDbPath(dataDir));
    const bus = createEventBus();
    const files: ScannedFile[] = [];
    let scanDone!: () => void;
    const scanned = new Promise<void>((resolve) => (scanDone = resolve));
    bus.subscribe((event, payload) => {
      if (event === 'scan.files') files.push(...(payload as { files: ScannedFile[] }).files);
      if (event === 'scan.progress' && (payload as { done: boolean }).done) scanDone();
    });
    let queued: QueuedFiles | null = null;
    const service = new ImportService({
      store: new QueueStore(db),
      bus,
      onQueued: async (q) => void (queued = q),
    });
    try {
      const { scanId } = service.scan({ paths: [folder] });
      await scanned;
      const alreadyQueued = Object.fromEntries(files.map((f) => [f.relPath, f.alreadyQueued]));
      expect(alreadyQueued).toEqual({
        'cancelled.pdf': false,
        'failed.pdf': true,
        'paused.pdf': true,
        'uploaded.pdf': true,
      });
      await service.queue({ scanId, startNow: true });
      expect(queued!.result.queued).toEqual([]);
      expect(queued!.plan).toEqual({
        done: [ids.uploaded],
        resume: [ids.paused],
        retry: expect.arrayContaining([ids.cancelled, ids.failed]) as string[],
      });
      expect(queued!.plan.retry).toHaveLength(2);
    } finally {
      db.close();
    }
  });

  describe('command line', () => {
    let server: BundledServer;
    const dataDir = join(tmp.dir, 'cli');
    beforeAll(async () => {
      server = await startBundledServer({ dataDir, args: ['--port', '0', '--workers', '0'] });
    });
    afterAll(async () => server?.stop());

    it('the same files are retried, resumed and left alone: nothing queued twice, all uploaded', async () => {
      const ids = await seedQueue(dataDir);
      const api = new ApiClient(server.apiUrl);
      const reauth = async (signal?: AbortSignal) => void (await signInLocally(api, dataDir, signal));
      const summary = await importFolder({ folder, dataDir, api, reauth, signedIn: reauth().then(() => true) });
      expect(summary.counts).toMatchObject({ pdfs: 4, uploaded: 3, alreadyImported: 1, failed: 0 });

      const db = openQueueDb(queueDbPath(dataDir));
      try {
        const store = new QueueStore(db);
        // The earlier rows themselves moved on: no second row for any of the four contents.
        expect(db.prepare('SELECT COUNT(*) AS n FROM files').get()).toEqual({ n: 4 });
        for (const state of ['cancelled', 'failed', 'paused'] as const)
          expect(store.getFile(ids[state])!.state).toBe('uploaded');
        expect(store.getFile(ids.uploaded)!.state).toBe('uploaded');
      } finally {
        db.close();
      }
    });
  });
});
