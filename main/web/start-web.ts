/**
 * Starts the web transport on 127.0.0.1: the services, the HTTP app and a fresh random token.
 * Returned `close()` stops the HTTP server, the services and the bundled server they started.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { AppError } from '../../common/errors';
import { createServices, type Services } from '../services';
import { launchServerWithTsx, REPO_ROOT, type LaunchLocalServer } from '../services/local-server';
import { MEMORY_ONLY_VAULT } from '../services/session-file';
import { createWebApp } from './rpc-app';

export interface WebOptions {
  dataDir: string;
  port: number;
  staticDir?: string;
  launchLocalServer?: LaunchLocalServer;
}

export interface RunningWeb {
  url: string;
  origin: string;
  token: string;
  services: Services;
  close(): Promise<void>;
}

export const DEFAULT_STATIC_DIR = join(REPO_ROOT, 'out/web');

export async function startWeb(opts: WebOptions): Promise<RunningWeb> {
  const staticDir = opts.staticDir ?? DEFAULT_STATIC_DIR;
  if (!existsSync(join(staticDir, 'index.html'))) {
    const { build } = await import('vite');
    process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'building the renderer (out/web is missing)' })}\n`);
    await build({ configFile: join(REPO_ROOT, 'vite.web.config.ts'), logLevel: 'warn' });
  }
  const services = createServices({
    dataDir: opts.dataDir,
    vault: MEMORY_ONLY_VAULT,
    launchLocalServer: opts.launchLocalServer ?? launchServerWithTsx,
    // A browser tab has no native folder picker: the Import screen offers a path field instead,
    // and what the user types there counts as picked (main/services/picked-paths.ts).
    pickFolder: async () => null,
    typedPathsArePicked: true,
    openExternal: async () => {
      throw new AppError('unavailable', 'Links open in the system browser only in the desktop app.');
    },
  });
  const token = randomBytes(24).toString('base64url');
  let hosts: ReadonlySet<string> = new Set();
  const app = createWebApp({
    handlers: services.handlers,
    bus: services.bus,
    readable: services.pickedPaths,
    token,
    staticDir,
    allowedHosts: () => hosts,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  void services.restore();
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    services,
    async close() {
      // SSE streams never end by themselves: drop every connection, then stop the services.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
