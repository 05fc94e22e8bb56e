/**
 * A thin stand-in for the `electron` module, only for the pieces the shell files touch, because
 * Electron's binary cannot run here. It records what the code under test asked for.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

export class FakeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  url = '';
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  /** Fires `event` like Electron would; returns whether a listener called preventDefault(). */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) l(e, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    FakeBrowserWindow.created.push(this);
  }
  once() {
    return this;
  }
  show() {}
  isDestroyed() {
    return this.destroyed;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
  }
}

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

export function fakeElectronModule() {
  return { BrowserWindow: FakeBrowserWindow, shell };
}
