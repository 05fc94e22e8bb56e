import { AppError } from '../../../common/errors';
import { ApiClient } from '../api-client';
import { startBundledServer, type BundledServer } from '../bundled-server/start-bundled-server';
import { requireLocalAccount, signInLocally } from './local-sign-in';

export interface ServerTarget {
  /** Remote server; omitted = start the bundled server on the data dir and use its local account. */
  url?: string;
  email?: string;
  password?: string;
}

export interface ServerConnection {
  api: ApiClient;
  mode: 'local' | 'remote';
  /** Signs in again (after a 401, or when the first sign-in found the server unreachable). */
  reauth: (signal?: AbortSignal) => Promise<void>;
  /**
   * The first sign-in, still running when connectServer returns (a scan needs no server, so it
   * need not wait for the password hash): false when the server could not be reached yet (uploads
   * wait for it); rejects when the sign-in was refused.
   */
  signedIn: Promise<boolean>;
  bundled: BundledServer | null;
  close: () => Promise<void>;
}

/**
 * Connects to the server an import talks to. Remote: signs in with the given credentials; an
 * unreachable server is not an error (the queue works offline and uploads start when it answers).
 * Local: starts the bundled server as a child process and signs in with the local account.
 */
export async function connectServer(
  target: ServerTarget,
  dataDir: string,
  opts: { workers?: number } = {},
): Promise<ServerConnection> {
  if (target.url) {
    if (!target.email || !target.password) {
      throw new AppError(
        'invalid_input',
        'A --server needs --email (or CREDMATE_EMAIL) and a password: --password, CREDMATE_PASSWORD, or run on a terminal to be asked for it.',
      );
    }
    const api = new ApiClient(target.url);
    const { email, password } = target as Required<ServerTarget>;
    const reauth = async (signal?: AbortSignal): Promise<void> => {
      await api.login(email, password, signal);
    };
    const signedIn = tryFirstLogin(reauth);
    return { api, mode: 'remote', reauth, signedIn, bundled: null, close: async () => undefined };
  }
  const bundled = await startBundledServer({
    dataDir,
    args: ['--port', '0', ...(opts.workers !== undefined ? ['--workers', String(opts.workers)] : [])],
  });
  try {
    requireLocalAccount(dataDir);
  } catch (err) {
    await bundled.stop();
    throw err;
  }
  const api = new ApiClient(bundled.apiUrl);
  const reauth = async (signal?: AbortSignal): Promise<void> => {
    await signInLocally(api, dataDir, signal);
  };
  const signedIn = reauth().then(() => true);
  // Whoever awaits it sees a failure; this only keeps it from counting as unhandled meanwhile.
  signedIn.catch(() => undefined);
  return { api, mode: 'local', reauth, signedIn, bundled, close: () => bundled.stop() };
}

function tryFirstLogin(login: () => Promise<void>): Promise<boolean> {
  const attempt = firstLogin(login);
  attempt.catch(() => undefined); // see the local case above
  return attempt;
}

async function firstLogin(login: () => Promise<void>): Promise<boolean> {
  try {
    await login();
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.kind === 'network' || err.kind === 'unavailable')) return false;
    throw err;
  }
}
