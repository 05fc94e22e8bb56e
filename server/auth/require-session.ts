import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../common/api';
import { AppError } from '../../common/errors';
import type { AppDeps, AppEnv } from '../app-env';
import { resolveSession } from './sessions';

/** Every API route but login needs `Authorization: Bearer <token>` of a live session. */
export function requireSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!match?.[1])
      throw new AppError('auth', 'Sign in first: send "Authorization: Bearer <token>" from POST /api/v1/auth/login.');
    const principal = await resolveSession(deps.db, match[1], deps.config.session);
    if (!principal) throw new AppError('auth', 'The session has expired or was signed out; sign in again.');
    c.set('principal', principal);
    await next();
  };
}

/** Role check for routes that change other people's work (review, delete, audit). */
export function requireRole(c: { get(key: 'principal'): { role: Role } }, roles: readonly Role[]): void {
  const role = c.get('principal').role;
  if (!roles.includes(role))
    throw new AppError('forbidden', `This needs the role ${roles.join(' or ')}; you are ${role}.`);
}
