import { AppError } from '../../../common/errors';
import { ApiClient } from '../api-client';
import { startBundledServer, type BundledServer } from '../bundled-server/start-bundled-server';
import { requireLocalAccount, signInLocally } from './local-sign-in';
import { forgetToken, readSavedToken, saveToken, sessionKey } from './saved-token';

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
    const { first, reauth } = keptSession(api, dataDir, sessionKey({ mode: 'remote', url: target.url, email }), (s) =>
      api.login(email, password, s),
    );
    const signedIn = tryFirstLogin(first);
    return { api, mode: 'remote', reauth, signedIn, bundled: null, close: async () => undefined };
  }
  const bundled = await startBundledServer({
    dataDir,
    args: ['--port', '0', ...(opts.workers !== undefined ? ['--workers', String(opts.workers)] : [])],
  });
  let account;
  try {
    account = requireLocalAccount(dataDir);
  } catch (err) {
    await bundled.stop();
    throw err;
  }
  const api = new ApiClient(bundled.apiUrl);
  const key = sessionKey({ mode: 'local', url: bundled.apiUrl, email: account.email });
  const { first, reauth } = keptSession(api, dataDir, key, (s) => signInLocally(api, dataDir, s));
  const signedIn = first().then(() => true);
  // Whoever awaits it sees a failure; this only keeps it from counting as unhandled meanwhile.
  signedIn.catch(() => undefined);
  return { api, mode: 'local', reauth, signedIn, bundled, close: () => bundled.stop() };
}

/**
 * Sign-in that keeps its token between runs (saved-token.ts): the first sign-in of a run resumes
 * the saved session when the server still accepts it, and signs in (a password check) only when
 * there is none or it was refused; every sign-in saves its new token. `reauth` (after a 401)
 * always signs in: the token in use was just refused.
 */
function keptSession(
  api: ApiClient,
  dataDir: string,
  key: string,
  login: (signal?: AbortSignal) => Promise<unknown>,
): { first: (signal?: AbortSignal) => Promise<void>; reauth: (signal?: AbortSignal) => Promise<void> } {
  const reauth = async (signal?: AbortSignal): Promise<void> => {
    await login(signal);
    const token = api.sessionToken;
    const expiresAt = api.sessionExpiresAt;
    try {
      if (token && expiresAt) saveToken(dataDir, { key, token, expiresAt });
    } catch {
      // Not kept (read-only data dir?): the next run signs in again, nothing else is lost.
    }
  };
  const first = async (signal?: AbortSignal): Promise<void> => {
    const saved = readSavedToken(dataDir, key);
    if (saved) {
      try {
        await api.resumeSession(saved.token, saved.expiresAt, signal);
        return;
      } catch (err) {
        if (!(err instanceof AppError && err.kind === 'auth')) throw err;
        forgetToken(dataDir); // expired, revoked, or a server that forgot its sessions
      }
    }
    await reauth(signal);
  };
  return { first, reauth };
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
