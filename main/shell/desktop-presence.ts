/**
 * The app's presence outside its window: a tray icon and dock/taskbar badge with the number of files
 * still to upload, and a notification when a batch finishes or needs attention.
 */
import { app, Notification, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { EventBus } from '../services/event-bus';

/** A 16 px document glyph, inline so the tray works from any packaging layout. */
const TRAY_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAKklEQVR4nGNgoBZQCV/2nxCm2AC8hhBrAE5DSDEAqyGjBowaMDgMIBcAAJkoWFDQBcCDAAAAAElFTkSuQmCC';

export function pendingCount(byState: Record<string, number>): number {
  return (byState.queued ?? 0) + (byState.uploading ?? 0) + (byState.completing ?? 0) + (byState.paused ?? 0);
}

export function batchMessage(e: { uploaded: number; duplicates: number; failed: number }): {
  title: string;
  body: string;
} {
  const parts = [`${e.uploaded} uploaded`, `${e.duplicates} already there`];
  if (e.failed > 0)
    return {
      title: 'Batch needs attention',
      body: `${e.failed} failed, ${parts.join(', ')}. Open the Queue to retry.`,
    };
  return { title: 'Batch uploaded', body: `${parts.join(', ')}. Extraction runs next.` };
}

export function showDesktopPresence(bus: EventBus, window: () => BrowserWindow | null): () => void {
  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
  tray.setToolTip('CredentialMate Uploader');
  tray.on('click', () => {
    const win = window();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  let lastCount = -1;
  const unsubscribe = bus.subscribe((event, payload) => {
    if (event === 'queue.stats') {
      const count = pendingCount((payload as { byState: Record<string, number> }).byState);
      if (count === lastCount) return;
      lastCount = count;
      // setBadgeCount shows on the macOS dock and Unity launchers; the tooltip covers the rest.
      app.setBadgeCount(count);
      tray.setToolTip(
        count > 0 ? `CredentialMate Uploader: ${count} files to upload` : 'CredentialMate Uploader: all uploaded',
      );
    } else if (event === 'batch.finished' && Notification.isSupported()) {
      // Counts only: file and provider names stay out of OS notification logs.
      new Notification(batchMessage(payload as { uploaded: number; duplicates: number; failed: number })).show();
    }
  });
  return () => {
    unsubscribe();
    tray.destroy();
  };
}
