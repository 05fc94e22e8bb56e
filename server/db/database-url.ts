import { AppError } from '../../common/errors';

/** A validated PostgreSQL connection URL (`--database-url` / `CREDMATE_DATABASE_URL`). */
export interface DatabaseUrl {
  /** The URL as given, password included: for the driver only, never for logs. */
  url: string;
  /** The same URL with the password replaced by `***`: safe for logs, errors and ready lines. */
  redacted: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

export const DATABASE_URL_ENV = 'CREDMATE_DATABASE_URL';

const EXAMPLE = 'postgres://credmate:PASSWORD@db.example.org:5432/credmate';

/** The URL with its password (if any) replaced by `***`; input that is not a URL is withheld whole. */
export function redactDatabaseUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return '<not a URL; withheld in case it holds a password>';
  }
  if (parsed.password) parsed.password = '***';
  // A password may also ride in the query string (libpq's ?password=).
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}

function invalid(source: string, raw: string, what: string): AppError {
  return new AppError(
    'invalid_input',
    `${source} ${what} (got ${redactDatabaseUrl(raw)}). Give a PostgreSQL URL like ${EXAMPLE}.`,
  );
}

/**
 * Validates a PostgreSQL URL. Only PostgreSQL takes a URL: the embedded SQLite database is chosen
 * with --data-dir, so any other scheme is a mistake worth naming rather than guessing at.
 */
export function parseDatabaseUrl(raw: string, source = '--database-url'): DatabaseUrl {
  const text = raw.trim();
  if (!text) throw new AppError('invalid_input', `${source} is empty. Give a PostgreSQL URL like ${EXAMPLE}.`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw invalid(source, text, 'is not a URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid(source, text, `has the scheme "${parsed.protocol.replace(/:$/, '')}"; only postgres:// is supported`);
  }
  if (!parsed.hostname) throw invalid(source, text, 'names no host');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw invalid(source, text, 'names no database (the path after the host)');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const user = decodeURIComponent(parsed.username);
  if (!user) throw invalid(source, text, 'names no user (postgres://USER@host/database)');
  return { url: text, redacted: redactDatabaseUrl(text), host: parsed.hostname, port, database, user };
}

/**
 * The database URL from the flag, else from CREDMATE_DATABASE_URL, else undefined (the embedded
 * SQLite database under the data dir). An empty variable counts as unset, like CREDMATE_DATA_DIR.
 */
export function databaseUrlOption(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseUrl | undefined {
  if (flag !== undefined) return parseDatabaseUrl(flag, '--database-url');
  const fromEnv = env[DATABASE_URL_ENV];
  return fromEnv ? parseDatabaseUrl(fromEnv, DATABASE_URL_ENV) : undefined;
}

/** Where a command's server database lives: SQLite under dataDir, or PostgreSQL when databaseUrl is set. */
export interface DatabaseChoice {
  dataDir: string;
  databaseUrl?: DatabaseUrl;
}

/**
 * A command's `--data-dir` / `--database-url` (and CREDMATE_DATABASE_URL): an explicit --data-dir
 * means the embedded SQLite database even when the variable is set; both flags at once are refused
 * rather than one silently ignored.
 */
export function chooseDatabase(
  flags: { dataDir?: string; databaseUrl?: string },
  defaultDataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): DatabaseChoice {
  if (flags.dataDir !== undefined && flags.databaseUrl !== undefined) {
    throw new AppError(
      'invalid_input',
      'Give --database-url (PostgreSQL) or --data-dir (the embedded SQLite database), not both.',
    );
  }
  if (flags.dataDir !== undefined) return { dataDir: flags.dataDir };
  return { dataDir: defaultDataDir, databaseUrl: databaseUrlOption(flags.databaseUrl, env) };
}
