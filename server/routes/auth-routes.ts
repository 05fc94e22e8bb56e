import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { LoginRequest, type LoginResponse } from '../../common/api';
import { AppError } from '../../common/errors';
import type { AppDeps, AppEnv } from '../app-env';
import { readJson } from '../app-env';
import { findLoginUser } from '../accounts';
import { accountLogId } from '../auth/account-log-id';
import { clientAddress } from '../auth/client-address';
import { dummyPasswordHash, verifyPassword } from '../auth/password';
import { PasswordHashingBusy } from '../auth/password-hasher';
import { createSession, revokeSession } from '../auth/sessions';
import { requireSession } from '../auth/require-session';

const WRONG = 'Wrong email or password.';

export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { perAccount, perAddress, proxies } = deps.loginLimits;

  app.post('/login', async (c) => {
    const body = await readJson(c, LoginRequest);
    const email = body.email.trim().toLowerCase();
    const address = clientAddress(getConnInfo(c).remote.address, c.req.header('x-forwarded-for'), proxies);
    // Logs name the account by a keyed hash: failures of one account can be followed without its email in the log.
    const who = { account: accountLogId(deps.audit.key, email), address };
    // Counted before the password is checked, each in one step across processes (shared-login-throttle.ts).
    const accountTurn = await perAccount.begin(email);
    const addressTurn = accountTurn.admitted ? await perAddress.begin(address) : null;
    if (!accountTurn.admitted || !addressTurn?.admitted) {
      if (accountTurn.admitted) await perAccount.settled(email);
      const wait = !accountTurn.admitted
        ? accountTurn.retryAfterSeconds
        : addressTurn && !addressTurn.admitted
          ? addressTurn.retryAfterSeconds
          : 1;
      deps.log.info('auth.login_refused', {
        reason: accountTurn.admitted ? 'address_limit' : 'account_limit',
        retryAfterSeconds: wait,
        ...who,
      });
      c.header('Retry-After', String(wait));
      throw new AppError('rate_limited', `Too many sign-in attempts; wait ${wait} s and try again.`);
    }
    const user = await findLoginUser(deps.db, email);
    let ok: boolean;
    try {
      // Unknown emails are checked against a dummy hash so both failures take the same time and answer.
      ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash()), deps.passwords);
    } catch (err) {
      // Never checked (e.g. the hashing queue is full): not a failed guess.
      await perAccount.settled(email);
      await perAddress.settled(address);
      if (err instanceof PasswordHashingBusy) {
        deps.log.info('auth.login_refused', { reason: 'hashing_busy', ...who });
        c.header('Retry-After', String(err.retryAfterSeconds));
      }
      throw err;
    }
    if (!user || !ok) {
      await perAccount.failed(email);
      await perAddress.failed(address);
      deps.log.info('auth.login_failed', { reason: 'credentials', ...who });
      throw new AppError('auth', WRONG);
    }
    await perAccount.reset(email);
    // The address keeps its failures: signing in to one's own account must not clear guesses at others.
    await perAddress.settled(address);
    const session = await createSession(deps.db, user.id, deps.config.session);
    deps.log.info('auth.login', { userId: user.id, orgId: user.org_id });
    const res: LoginResponse = {
      token: session.token,
      expiresAt: new Date(session.expiresAt).toISOString(),
      user: { id: user.id, email: user.email, role: user.role, organization: { id: user.org_id, name: user.org_name } },
    };
    return c.json(res);
  });

  app.post('/logout', requireSession(deps), async (c) => {
    await revokeSession(deps.db, c.get('principal').tokenHash);
    return c.body(null, 204);
  });

  app.get('/me', requireSession(deps), (c) => {
    const p = c.get('principal');
    return c.json({ id: p.userId, email: p.email, role: p.role, organization: { id: p.orgId, name: p.orgName } });
  });

  return app;
}
