/**
 * Review's "Replace file…" in the desktop app (issue 16): main/index.ts answers
 * documents.pickReplacement with Electron's open dialog (one PDF), registers that one file as
 * picked, and documents.replace then sends it to the real server in place of a failed document's
 * file; a path the dialog did not return (even beside the picked file) is still refused. Electron's
 * binary cannot run here: `electron` is a thin fake that records the dialog's options.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentDetail } from '../../common/api';
import { truncatedPdf } from '../fixtures/hostile/generate';
import { makePdf } from '../helpers/pdf-fixtures';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { uploadBytes, waitFor } from '../helpers/upload-client';

const root = mkdtempSync(path.join(tmpdir(), 'credmate-replace-picker-'));
process.env.CREDMATE_DATA_DIR = path.join(root, 'data');
const picked = path.join(root, 'scans', 'license-fixed.pdf');
const beside = path.join(root, 'scans', 'other.pdf');
mkdirSync(path.dirname(picked), { recursive: true });

const record = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, arg: unknown) => Promise<unknown>>(),
  appListeners: new Map<string, Array<(...a: unknown[]) => void>>(),
  dialogs: [] as Array<Record<string, unknown>>,
  answer: { canceled: false, filePaths: [] as string[] },
  ready: null as null | (() => void),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = { on: () => undefined, setWindowOpenHandler: () => undefined };
    once() {}
    on() {}
    async loadURL() {}
  }
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      on: (event: string, l: (...a: unknown[]) => void) =>
        record.appListeners.set(event, [...(record.appListeners.get(event) ?? []), l]),
      whenReady: () => new Promise<void>((resolve) => (record.ready = resolve)),
      quit: () => undefined,
      getVersion: () => '0.1.0',
      setBadgeCount: () => true,
    },
    BrowserWindow,
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    ipcMain: {
      handle: (channel: string, h: (event: unknown, arg: unknown) => Promise<unknown>) =>
        record.handlers.set(channel, h),
      removeHandler: (channel: string) => record.handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    Tray: class {
      setToolTip() {}
      on() {}
      destroy() {}
    },
    nativeImage: { createFromDataURL: () => ({}) },
    Notification: class {
      static isSupported = () => false;
    },
    dialog: {
      // The window is null here (the fake window never shows), so the one-argument form is used.
      showOpenDialog: async (...args: unknown[]) => {
        record.dialogs.push(args[args.length - 1] as Record<string, unknown>);
        return record.answer;
      },
    },
    shell: { openExternal: async () => undefined },
    net: {},
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
    utilityProcess: { fork: () => ({}) },
    webUtils: {},
  };
});

let srv: TestServer;
let failedId = '';

beforeAll(async () => {
  srv = await startTestServer();
  const token = await srv.login();
  failedId = (await uploadBytes(srv, token, await truncatedPdf(), { fileName: 'damaged-download.pdf' })).documentId;
  await waitFor(
    async () => {
      const doc = await srv.api<DocumentDetail>(token, 'GET', `/documents/${failedId}`);
      return doc.body.status === 'failed' ? true : undefined;
    },
    120_000,
    'the truncated PDF to fail extraction',
  );
  writeFileSync(picked, await makePdf('replace-picker-fixed', 1));
  writeFileSync(beside, await makePdf('replace-picker-other', 1));
}, 180_000);

afterAll(async () => {
  const beforeQuit = record.appListeners.get('before-quit')?.[0];
  beforeQuit?.({ preventDefault: () => undefined });
  await srv?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** What the preload would send: the app's own top frame. */
const invoke = (channel: string, arg: unknown) =>
  record.handlers.get(channel)!({ senderFrame: { url: 'app://credmate/index.html', parent: null } }, arg) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { kind: string; message: string };
  }>;

describe('Replace file… through the native file picker', () => {
  it('sends the picked PDF in place of a failed document, and still refuses a path not picked', async () => {
    await import('../../main/index');
    record.ready!();
    await vi.waitFor(() => expect(record.handlers.has('documents.pickReplacement')).toBe(true));
    const local = JSON.parse(readFileSync(path.join(srv.dataDir, 'server', 'local-account.json'), 'utf8')) as {
      email: string;
      password: string;
    };
    expect(
      await invoke('session.signIn', { serverUrl: srv.apiUrl, email: local.email, password: local.password }),
    ).toMatchObject({ ok: true, value: { signedIn: true } });

    // Nothing picked yet: a typed path is refused before anything is read.
    expect(await invoke('documents.replace', { id: failedId, path: picked })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    // Cancelled: nothing becomes readable.
    record.answer = { canceled: true, filePaths: [] };
    expect(await invoke('documents.pickReplacement', undefined)).toEqual({ ok: true, value: null });
    expect(await invoke('documents.replace', { id: failedId, path: picked })).toMatchObject({ ok: false });

    record.answer = { canceled: false, filePaths: [picked] };
    expect(await invoke('documents.pickReplacement', undefined)).toEqual({ ok: true, value: picked });
    // One PDF file, not a folder.
    expect(record.dialogs.at(-1)).toMatchObject({
      properties: ['openFile'],
      filters: [{ name: 'PDF documents', extensions: expect.arrayContaining(['pdf']) }],
    });
    // The picked file opens no door to its folder.
    expect(await invoke('documents.replace', { id: failedId, path: beside })).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });

    const replaced = await invoke('documents.replace', { id: failedId, path: picked });
    expect(replaced).toMatchObject({ ok: true, value: { id: failedId, fileName: 'license-fixed.pdf' } });
    const token = await srv.login();
    // The server reads the new bytes: the one-page PDF is extracted, no longer failed.
    await waitFor(
      async () => {
        const doc = await srv.api<DocumentDetail>(token, 'GET', `/documents/${failedId}`);
        return doc.body.status !== 'failed' && doc.body.status !== 'uploaded' && doc.body.status !== 'processing'
          ? doc.body
          : undefined;
      },
      120_000,
      'the replacement to be read',
    );
  }, 180_000);
});
