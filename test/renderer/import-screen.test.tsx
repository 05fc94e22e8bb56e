/**
 * The Import screen's parts rendered with React (server rendering, no browser; the preview's list
 * needs pdf.js and a DOM, which the Playwright tests cover): which ways in it offers under each
 * transport, and the scan's progress and queue form. Electron's main refuses a typed path that was
 * not picked or dropped, so the desktop shows no path field; `npm run web` has no picker and keeps it.
 */
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../../preload/contract';
import { StoreProvider } from '../../renderer/app/store-context';
import { FolderSource } from '../../renderer/features/import/FolderSource';
import { QueueForm } from '../../renderer/features/import/QueueForm';
import { ScanProgressStatus } from '../../renderer/features/import/ScanProgressStatus';
import { createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';
import { scanned } from './store-fixtures';

/** Electron's preload as the renderer sees it on `window.credmate` (the Electron stand-in). */
const desktopBridge: PreloadBridge = {
  invoke: () => Promise.resolve({ ok: true, value: undefined as never }),
  on: () => () => undefined,
  pathForFile: () => '/dropped/file.pdf',
};

function render(part: ReactNode, store = createAppStore(createFakeApi({}).api)): string {
  return renderToStaticMarkup(<StoreProvider store={store}>{part}</StoreProvider>);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Import screen', () => {
  it('in the desktop app offers "Choose folder…" and the drop zone, and no typed path', () => {
    vi.stubGlobal('window', { credmate: desktopBridge });
    const html = render(<FolderSource />);
    expect(html).toContain('Choose folder…');
    expect(html).toContain('Drop a folder or PDF files here');
    expect(html).not.toContain('Folder path');
    expect(html).not.toContain('name="folder"');
  });

  it('over npm run web keeps the path field beside "Choose folder…"', () => {
    vi.stubGlobal('window', {});
    const html = render(<FolderSource />);
    expect(html).toContain('Choose folder…');
    expect(html).toContain('Folder path');
    expect(html).toContain('name="folder"');
  });

  it("shows a finished scan's counts, and the queue form offers the one file the preflight passed", async () => {
    vi.stubGlobal('window', {});
    const fake = createFakeApi({ 'import.scan': () => ({ scanId: 's1' }) });
    const store = createAppStore(fake.api);
    await store.getState().startScan(['/in']);
    store.getState().applyScanFiles('s1', [scanned('a'), scanned('b', { duplicateOf: 'a' })]);
    store.getState().applyScanProgress({
      scanId: 's1',
      entriesSeen: 2,
      pdfs: 2,
      skipped: 0,
      duplicates: 1,
      bytes: 2000,
      hashedBytes: 2000,
      done: true,
      cancelled: false,
    });
    store.getState().setPreflight('s1', 'a', { ok: true });
    // Server rendering reads zustand's server snapshot, the store's initial state: hand it the state built here.
    const built = { ...store, getInitialState: store.getState };
    const progress = render(<ScanProgressStatus />, built);
    expect(progress).toContain('Scan finished');
    expect(progress).toContain('1 duplicate');
    expect(progress).not.toContain('Cancel scan');
    const html = render(<QueueForm />, built);
    expect(html).toMatch(/1 files · [^<]+ to upload/);
    expect(html).toContain('Upload 1 files now');
  });
});
