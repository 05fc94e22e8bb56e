/**
 * What every command that talks to a server reads from its options and the environment, once:
 * the data dir (server/config.ts's default) and the credentials for a remote server, the password
 * asked on a terminal rather than required on the command line, where ps and the shell history
 * would keep it.
 */
import { resolve } from 'node:path';
import { defaultDataDir } from '../../server/config';
import { isInteractive, promptSecrets } from './prompt-secret';

export function dataDirOf(v: { 'data-dir'?: string }): string {
  return v['data-dir'] ? resolve(v['data-dir']) : defaultDataDir();
}

export async function serverCredentials(v: {
  server?: string;
  email?: string;
  password?: string;
}): Promise<{ url?: string; email?: string; password?: string }> {
  const url = v.server ?? process.env.CREDMATE_SERVER;
  const email = v.email ?? process.env.CREDMATE_EMAIL;
  let password = v.password || process.env.CREDMATE_PASSWORD || undefined;
  if (url && email && !password && isInteractive())
    [password] = await promptSecrets([`Password for ${email} at ${url}: `]);
  return { url, email, password };
}
