/**
 * Who is signed in, where, and the connection that goes with it. Local mode starts the bundled
 * server (through the shell's launcher) and signs in with its local account over the normal login
 * route; remote mode signs in to an organisation's server. Tokens persist only through a vault
 * that really encrypts; otherwise the next start asks to sign in again.
 */
import type Database from 'better-sqlite3';
import type { SessionUser } from '../../common/api';
import { AppError } from '../../common/errors';
import type { SessionState } from '../../preload/contract';
import { readLocalAccount } from '../../node-shared/local-account-file';
import { ApiClient, type DocumentsMirror } from '../core';
import { signInLocally } from '../core/session/local-sign-in';
import { openConnection, type Connection } from './connection';
import { loginForToken } from './remote-login';
import type { EventBus } from './event-bus';
import type { LaunchLocalServer, LocalServer } from './local-server';
import { clearSavedSession, readSavedSession, writeSavedSession, type TokenVault } from './session-file';
import { errorMessageForLog } from '../../common/log-redaction';

export interface SessionServiceOptions {
  dataDir: string;
  db: Database.Database;
  mirror: DocumentsMirror;
  bus: EventBus;
  vault: TokenVault;
  launchLocalServer: LaunchLocalServer;
}

const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export class SessionService {
  private connection: Connection | null = null;
  private localServer: LocalServer | null = null;
  private startingServer: Promise<LocalServer> | null = null;
  private serverUrl: string | null = null;
  private message: string | undefined;
  private closing = false;
  private restarts = 0;

  constructor(private readonly opts: SessionServiceOptions) {}

  get current(): Connection | null {
    return this.connection;
  }

  /** The connection, or an `auth` error telling the user to sign in. */
  require(): Connection {
    if (!this.connection) throw new AppError('auth', 'Not signed in: sign in (or choose "Work locally") first.');
    return this.connection;
  }

  state(): SessionState {
    const c = this.connection;
    if (c) return { signedIn: true, mode: c.mode, serverUrl: c.api.baseUrl, user: c.user };
    return {
      signedIn: false,
      mode: null,
      serverUrl: this.serverUrl,
      ...(this.message ? { message: this.message } : {}),
    };
  }

  /** At launch: resume the saved session (local mode starts the bundled server). */
  async restore(): Promise<SessionState> {
    const saved = readSavedSession(this.opts.dataDir);
    if (!saved) return this.state();
    this.serverUrl = saved.serverUrl;
    if (saved.mode === 'local') return this.signInLocal();
    if (!saved.sealedToken || !this.opts.vault.canPersist()) {
      this.message = 'Please sign in again: this computer offers no secure storage for your session.';
      return this.publish();
    }
    let token: string;
    try {
      token = this.opts.vault.decrypt(saved.sealedToken);
    } catch {
      this.message = 'Please sign in again: the saved session could not be unlocked.';
      return this.publish();
    }
    const api = new ApiClient(saved.serverUrl, { token });
    try {
      await api.changes(0, 1, AbortSignal.timeout(10_000));
    } catch (err) {
      // An unreachable server keeps the session (the app works offline); a refused token does not.
      if (err instanceof AppError && err.kind === 'auth')
        return this.signOut('Your session has ended: please sign in again.');
    }
    await this.connect(api, 'remote', saved.user);
    return this.publish();
  }

  async signInLocal(): Promise<SessionState> {
    const server = await this.ensureLocalServer();
    const api = new ApiClient(server.apiUrl);
    const user = await signInLocally(api, this.opts.dataDir);
    await this.connect(api, 'local', user);
    writeSavedSession(this.opts.dataDir, { mode: 'local', serverUrl: server.apiUrl, user, sealedToken: null });
    return this.publish();
  }

  async signIn(serverUrl: string, email: string, password: string): Promise<SessionState> {
    const url = new URL(serverUrl);
    if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      throw new AppError(
        'invalid_input',
        'Use an https:// server URL (plain http is accepted only for this computer).',
      );
    }
    const { token, user } = await loginForToken(url.origin, email, password);
    const api = new ApiClient(url.origin, { token });
    await this.connect(api, 'remote', user);
    const vault = this.opts.vault;
    writeSavedSession(this.opts.dataDir, {
      mode: 'remote',
      serverUrl: api.baseUrl,
      user,
      sealedToken: vault.canPersist() ? vault.encrypt(token) : null,
    });
    return this.publish();
  }

  async signOut(message?: string): Promise<SessionState> {
    const c = this.connection;
    this.connection = null;
    // The session is revoked on the server, not only forgotten here (it would stay valid there).
    // After the connection has stopped, so no request of its engine signs in again meanwhile.
    const token = c?.api.sessionToken;
    await c?.close();
    if (c && token) await new ApiClient(c.api.baseUrl, { token }).logout(AbortSignal.timeout(5_000));
    clearSavedSession(this.opts.dataDir);
    this.message = message;
    return this.publish();
  }

  async close(): Promise<void> {
    this.closing = true;
    const c = this.connection;
    this.connection = null;
    await c?.close();
    await this.localServer?.stop();
    this.localServer = null;
  }

  private publish(): SessionState {
    const state = this.state();
    this.opts.bus.emit('session.changed', state);
    return state;
  }

  private async connect(api: ApiClient, mode: 'local' | 'remote', user: SessionUser): Promise<void> {
    const previous = this.connection;
    this.connection = null;
    await previous?.close();
    this.message = undefined;
    this.serverUrl = api.baseUrl;
    this.connection = openConnection({
      db: this.opts.db,
      mirror: this.opts.mirror,
      bus: this.opts.bus,
      api,
      mode,
      user,
      reauth: async (signal) => {
        if (mode === 'local' && readLocalAccount(this.opts.dataDir)) {
          await signInLocally(api, this.opts.dataDir, signal);
          return;
        }
        void this.signOut('Your session has ended: please sign in again.');
        throw new AppError('auth', 'Your session has ended: please sign in again.');
      },
    });
  }

  private ensureLocalServer(): Promise<LocalServer> {
    if (this.localServer) return Promise.resolve(this.localServer);
    this.startingServer ??= this.opts.launchLocalServer(this.opts.dataDir).then(
      (server) => {
        this.localServer = server;
        this.startingServer = null;
        void server.exited.then(() => this.onLocalServerExit(server));
        return server;
      },
      (err: unknown) => {
        this.startingServer = null;
        throw err;
      },
    );
    return this.startingServer;
  }

  /** The bundled server died under us: show offline at once, then start a new one and reconnect. */
  private onLocalServerExit(server: LocalServer): void {
    if (this.localServer !== server) return;
    this.localServer = null;
    if (this.closing) return;
    this.connection?.reportUnreachable('The local server stopped; restarting it.');
    const delay = RESTART_DELAYS_MS[Math.min(this.restarts, RESTART_DELAYS_MS.length - 1)] ?? 30_000;
    this.restarts += 1;
    setTimeout(() => {
      if (this.closing || this.connection?.mode === 'remote') return;
      this.signInLocal().then(
        () => (this.restarts = 0),
        (err: unknown) =>
          console.error(
            JSON.stringify({ level: 'error', msg: 'local server restart failed', error: errorMessageForLog(err) }),
          ),
      );
    }, delay).unref();
  }
}
