/**
 * The services behind the IPC contract, in plain Node: the Electron main process (main/ipc.ts)
 * and `npm run web` (main/web) both carry these same handlers, so the web build is a transport,
 * never a second implementation. The shell supplies what only it can: folder picker, external
 * links, token vault, and how to start the bundled server.
 */
import { AppError } from '../../common/errors';
import type { QueueStats } from '../../preload/contract';
import { DocumentsMirror, QueueStore, openQueueDb, queueDbPath } from '../core';
import { applyToEngine, type QueuedFiles } from '../core/session/import-policy';
import type { Handlers } from './dispatch';
import { DocumentsService } from './documents-service';
import { createEventBus, type EventBus } from './event-bus';
import { isAllowedExternalUrl } from './external-links';
import { ImportService } from './import-service';
import { PickedPaths } from './picked-paths';
import type { LaunchLocalServer } from './local-server';
import type { TokenVault } from './session-file';
import { SessionService } from './session-service';
import { providerHandlers } from './provider-handlers';
import { documentActionHandlers } from './document-actions';
import { WatchService } from './watch-service';
import { errorMessageForLog } from '../../common/log-redaction';

export interface ServiceHost {
  dataDir: string;
  vault: TokenVault;
  launchLocalServer: LaunchLocalServer;
  /** Native folder picker; null when cancelled or when the shell has none. */
  pickFolder(): Promise<string | null>;
  /** Native picker of one PDF (a failed document's replacement); absent in `npm run web`, which types a path. */
  pickPdfFile?(): Promise<string | null>;
  /** `npm run web` only: a typed path counts as picked (a browser tab has no picker). */
  typedPathsArePicked?: boolean;
  openExternal(url: string): Promise<void>;
  /** Watched folders' settle period and safety-net rescan (tests shorten them). */
  watch?: { settleMs?: number; rescanMs?: number };
}

export interface Services {
  handlers: Handlers;
  bus: EventBus;
  session: SessionService;
  /** What the user picked or dropped this session: the only local paths a channel may name. */
  pickedPaths: PickedPaths;
  /** Resumes the saved session (local mode starts the bundled server); never throws. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

// Over 80 lines on purpose: most of it is the table of one handler per IPC channel, which reads
// best whole, beside the contract it implements.
// eslint-disable-next-line max-lines-per-function -- the handler table of the IPC contract (above)
export function createServices(host: ServiceHost): Services {
  const bus = createEventBus();
  const pickedPaths = new PickedPaths({ typedPathsArePicked: host.typedPathsArePicked });
  const db = openQueueDb(queueDbPath(host.dataDir));
  const store = new QueueStore(db);
  const mirror = new DocumentsMirror(db);
  const session = new SessionService({
    dataDir: host.dataDir,
    db,
    mirror,
    bus,
    vault: host.vault,
    launchLocalServer: host.launchLocalServer,
  });
  const documents = new DocumentsService(session, mirror, bus);
  /** Queued files (an import's or a watched folder's) to the engine when signed in. */
  const handOver = async (queued: QueuedFiles): Promise<void> => {
    const engine = session.current?.engine;
    if (!engine) {
      bus.emit('queue.stats', offlineStats());
      return;
    }
    await applyToEngine(engine, queued);
    bus.emit('queue.stats', engine.stats());
  };
  const imports = new ImportService({ store, bus, onQueued: handOver });
  const watches = new WatchService({
    db,
    store,
    bus,
    pickedPaths,
    onQueued: handOver,
    // Asked when a group settles (as the server.limits channel, ApiClient.serverLimits); signed out, the server checks on upload.
    limits: async (signal) => (session.current ? session.current.api.serverLimits(signal) : null),
    ...host.watch,
  });
  // Watches kept from earlier runs resume now, signed in or not (the queue works offline);
  // restore() waits for their folders to count as picked again.
  const watchesStarted = watches
    .start()
    .catch((err: unknown) =>
      console.error(JSON.stringify({ level: 'error', msg: 'watches not resumed', error: errorMessageForLog(err) })),
    );

  /** Signed out, the queue is still readable; nothing moves until someone signs in. */
  const offlineStats = (): QueueStats => ({
    ...store.counts(),
    bytesPerSecond: 0,
    etaSeconds: null,
    online: false,
    lastError: 'Not signed in.',
  });
  const engine = () => session.require().engine;

  const handlers: Handlers = {
    'session.get': async () => session.state(),
    'session.signInLocal': () => session.signInLocal(),
    'session.signIn': ({ serverUrl, email, password }) => session.signIn(serverUrl, email, password),
    'session.signOut': () => session.signOut(),
    'import.pickFolder': async () => {
      // Registered here, from the dialog's answer: the page cannot add to what it may read.
      const folder = await host.pickFolder();
      if (folder !== null) await pickedPaths.add(folder);
      return folder;
    },
    'documents.pickReplacement': async () => {
      // Only this file becomes readable (not its folder), so the page can name it to documents.replace.
      const file = (await host.pickPdfFile?.()) ?? null;
      if (file !== null) await pickedPaths.add(file);
      return file;
    },
    'import.scan': async (arg) => imports.scan(arg),
    'import.cancelScan': async ({ scanId }) => imports.cancel(scanId),
    'import.readFile': ({ scanId, fileId }) => imports.readFile(scanId, fileId),
    'import.queue': (arg) => imports.queue(arg),
    'queue.list': async (arg) => store.list(arg),
    'queue.stats': async () => session.current?.engine.stats() ?? offlineStats(),
    'queue.pause': async (sel) => void engine().pause(sel),
    'queue.resume': async (sel) => void engine().resume(sel),
    'queue.cancel': async (sel) => void (await engine().cancel(sel)),
    'queue.retry': async (sel) => void (await engine().retry(sel)),
    'batches.listLocal': async () => store.listBatches(),
    'queue.batchFigures': async () => store.batchFigures(),
    'documents.list': async (q) => documents.list(q),
    'documents.get': ({ id }) => documents.get(id),
    'documents.content': ({ id }) => documents.content(id),
    'documents.review': (arg) => documents.review(arg),
    'batches.stats': ({ batchId }) => documents.stats(batchId),
    'batches.exportCsv': ({ batchId }) => documents.exportCsv(batchId),
    ...providerHandlers(
      () => session.require().api,
      () => session.require().session.pokeSync(),
    ),
    ...documentActionHandlers(session, bus),
    'app.openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url))
        throw new AppError('invalid_input', 'That link is not on the list of sites the app may open.');
      await host.openExternal(url);
    },
    'watch.add': ({ path }) => watches.add(path),
    'watch.remove': ({ path }) => watches.remove(path),
    'watch.list': async () => watches.list(),
  };

  return {
    handlers,
    bus,
    session,
    pickedPaths,
    async restore() {
      await watchesStarted;
      try {
        await session.restore();
      } catch (err) {
        console.error(
          JSON.stringify({ level: 'error', msg: 'session restore failed', error: errorMessageForLog(err) }),
        );
      }
    },
    async close() {
      await watches.close();
      await session.close();
      db.close();
    },
  };
}
