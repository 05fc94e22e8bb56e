/**
 * Signs in to a server and returns the session token itself, which the API client keeps private
 * but a remote session must hand to the vault to survive a restart.
 */
import ky from 'ky';
import { API_PREFIX, LoginResponse } from '../../common/api';
import { AppError } from '../../common/errors';
import { API_TIMEOUT_MS } from '../core';
import { toHttpFailure } from '../core/http-failure';
import { desktopDispatcher, undiciFetch } from '../core/undici-fetch';

export async function loginForToken(baseUrl: string, email: string, password: string): Promise<LoginResponse> {
  let body: unknown;
  try {
    body = await ky
      .post(`${baseUrl}${API_PREFIX}/auth/login`, {
        json: { email, password },
        timeout: API_TIMEOUT_MS,
        retry: 0,
        fetch: undiciFetch(desktopDispatcher),
      })
      .json();
  } catch (err) {
    throw await toHttpFailure(err, 'Sign-in');
  }
  const parsed = LoginResponse.safeParse(body);
  if (!parsed.success)
    throw new AppError(
      'internal',
      `Sign-in: the server answered in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
    );
  return parsed.data;
}
