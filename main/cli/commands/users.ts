/**
 * `credmate users add --org NAME --email E [--password P] [--role admin|reviewer|uploader]
 * [--data-dir DIR | --database-url postgres://…]`: offline user admin, on the embedded SQLite
 * database or the central PostgreSQL one (CREDMATE_DATABASE_URL). The password comes from --password, else CREDMATE_PASSWORD, else it is
 * asked for on the terminal (twice, not echoed), so it need not appear on the command line.
 */
import { ROLES, type Role } from '../../../common/api';
import { AppError } from '../../../common/errors';
import { addUser, listUsers } from '../../../server/accounts';
import { defaultDataDir, parseFlags } from '../../../server/config';
import { chooseDatabase } from '../../../server/db/database-url';
import { openServerDatabase, type ServerDatabase } from '../../../server/db/open-query-db';
import { isInteractive, promptSecrets } from '../prompt-secret';

const USAGE = `usage: credmate users add --org NAME --email EMAIL [--password PASSWORD] [--role admin|reviewer|uploader] [DATABASE]
         (without --password: CREDMATE_PASSWORD, else asked for on the terminal)
       credmate users list [DATABASE]
DATABASE: --data-dir DIR (the embedded SQLite database; default ~/.credmate or CREDMATE_DATA_DIR)
       or --database-url postgres://USER:PASSWORD@HOST:5432/DB (the central PostgreSQL; or CREDMATE_DATABASE_URL)`;

const DATABASE_FLAGS = ['--data-dir', '--database-url'];

async function openChosenDatabase(flags: Record<string, string>): Promise<ServerDatabase> {
  const choice = chooseDatabase(
    { dataDir: flags['--data-dir'], databaseUrl: flags['--database-url'] },
    defaultDataDir(),
  );
  return openServerDatabase(choice);
}

async function askPassword(email: string): Promise<string> {
  if (!isInteractive()) {
    throw new AppError(
      'invalid_input',
      `No password for ${email}: pass --password, set CREDMATE_PASSWORD, or run this on a terminal to be asked for it.\n${USAGE}`,
    );
  }
  const [first = '', again = ''] = await promptSecrets([
    `Password for ${email} (12+ characters): `,
    'Same password again: ',
  ]);
  if (first !== again)
    throw new AppError('invalid_input', 'The two passwords differ; no user was added. Run the command again.');
  return first;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  try {
    if (sub === 'add') {
      const flags = parseFlags(rest, [...DATABASE_FLAGS, '--org', '--email', '--password', '--role']);
      for (const f of ['--org', '--email'])
        if (!flags[f]) throw new AppError('invalid_input', `Missing ${f}.\n${USAGE}`);
      const role = (flags['--role'] ?? 'uploader') as Role;
      if (!ROLES.includes(role)) throw new AppError('invalid_input', `--role must be one of ${ROLES.join(', ')}.`);
      const password =
        flags['--password'] || process.env.CREDMATE_PASSWORD || (await askPassword(flags['--email'] as string));
      const database = await openChosenDatabase(flags);
      try {
        const out = await addUser(database.db, {
          org: flags['--org'] as string,
          email: flags['--email'] as string,
          password,
          role,
        });
        console.log(
          JSON.stringify({
            event: 'user_added',
            userId: out.userId,
            orgId: out.orgId,
            createdOrg: out.createdOrg,
            role,
            database: database.kind,
          }),
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    if (sub === 'list') {
      const flags = parseFlags(rest, DATABASE_FLAGS);
      const database = await openChosenDatabase(flags);
      try {
        for (const r of await listUsers(database.db)) console.log(JSON.stringify(r));
      } finally {
        await database.close();
      }
      return 0;
    }
    console.error(`credmate users: unknown subcommand "${sub}".\n${USAGE}`);
    return 2;
  } catch (err) {
    console.error(`credmate users: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof AppError && err.kind === 'invalid_input' ? 2 : 1;
  }
}
