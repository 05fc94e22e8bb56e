import { AppError } from '../../common/errors';
import { DATABASE_URL_ENV, redactDatabaseUrl } from './database-url';

/**
 * What runs on PostgreSQL so far (issue 19), said plainly wherever a command is asked for more. A
 * module moves from the second list to the first when it runs on the query layer and its tests run
 * on both databases.
 */
export const ON_POSTGRES = [
  'the schema and its migrations',
  'accounts (credmate users add/list --database-url)',
  'the sessions module (shared by processes on one database)',
  'the sign-in limits (shared by processes on one database)',
];
export const NOT_YET_ON_POSTGRES = [
  'uploads',
  'documents and the change feed',
  'the job queue and extraction results',
  'the audit chain',
  'providers and compliance',
  'batches',
];

/**
 * `credmate server` refuses --database-url (or CREDMATE_DATABASE_URL) until every module it runs is
 * converted: a server that took the URL and kept writing documents to SQLite would be a pretence.
 */
export function refuseServerOnPostgres(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  const flagAt = argv.findIndex((a) => a === '--database-url' || a.startsWith('--database-url='));
  const flag = argv[flagAt] ?? '';
  const inline = flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : undefined;
  const given = flagAt >= 0 ? (inline ?? argv[flagAt + 1] ?? '') : env[DATABASE_URL_ENV];
  if (flagAt < 0 && !given) return;
  const source = flagAt >= 0 ? '--database-url' : DATABASE_URL_ENV;
  throw new AppError(
    'invalid_input',
    `${source} (${redactDatabaseUrl(given ?? '')}): the server does not run on PostgreSQL yet. ` +
      `On PostgreSQL so far: ${ON_POSTGRES.join('; ')}. Still SQLite only: ${NOT_YET_ON_POSTGRES.join('; ')}. ` +
      `Run the server with --data-dir (the embedded SQLite database)${flagAt < 0 ? ` and ${DATABASE_URL_ENV} unset` : ''}.`,
  );
}
