/**
 * Serves the built renderer on app://credmate/ instead of file://, so the app has an origin of its
 * own (file:// pages share one origin with every other local file) for the CSP and the IPC check.
 */
import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://credmate`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Maps an app:// URL to a file under `root`, or null when it would leave it. */
export function resolveAppFile(root: string, url: string): string | null {
  const { host, pathname } = new URL(url);
  if (host !== 'credmate') return null;
  const file = normalize(join(root, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
