import type { SessionUser } from '../../../common/api';
import { AppError } from '../../../common/errors';
import { readLocalAccount, type LocalAccount } from '../../../node-shared/local-account-file';
import type { ApiClient } from '../api-client';

/**
 * The local account the bundled server wrote for this data dir. Its absence is an `auth` error:
 * the server runs without one (CREDMATE_LOCAL_ACCOUNT=0, or S3 storage), so someone must sign in.
 */
export function requireLocalAccount(dataDir: string): LocalAccount {
  const account = readLocalAccount(dataDir);
  if (!account)
    throw new AppError(
      'auth',
      `The bundled server started but wrote no local account in ${dataDir}. Is CREDMATE_LOCAL_ACCOUNT=0 set, or CREDMATE_STORAGE=s3? Then sign in to a server with an e-mail and password.`,
    );
  return account;
}

/**
 * Signs `api` in with the local account, over the normal login route (there is no bypass). The
 * account is read at each call, so a sign-in after a server restart uses what that server wrote.
 */
export function signInLocally(api: ApiClient, dataDir: string, signal?: AbortSignal): Promise<SessionUser> {
  const account = requireLocalAccount(dataDir);
  return api.login(account.email, account.password, signal);
}
