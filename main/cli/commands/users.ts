/**
 * `credmate users add --data-dir DIR --org NAME --email E [--password P] [--role admin|reviewer|uploader]`:
 * offline user admin. The password comes from --password, else CREDMATE_PASSWORD, else it is
 * asked for on the terminal (twice, not echoed), so it need not appear on the command line.
 */
import { ROLES, type Role } from '../../../common/api';
import { AppError } from '../../../common/errors';
import { addUser } from '../../../server/accounts';
import { defaultDataDir, parseFlags } from '../../../server/config';
import { openDatabase } from '../../../server/db/open';
import { isInteractive, promptSecrets } from '../prompt-secret';

const USAGE = `usage: credmate users add --org NAME --email EMAIL [--password PASSWORD] [--role admin|reviewer|uploader] [--data-dir DIR]
         (without --password: CREDMATE_PASSWORD, else asked for on the terminal)
       credmate users list [--data-dir DIR]`;

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
      const flags = parseFlags(rest, ['--data-dir', '--org', '--email', '--password', '--role']);
      for (const f of ['--org', '--email'])
        if (!flags[f]) throw new AppError('invalid_input', `Missing ${f}.\n${USAGE}`);
      const role = (flags['--role'] ?? 'uploader') as Role;
      if (!ROLES.includes(role)) throw new AppError('invalid_input', `--role must be one of ${ROLES.join(', ')}.`);
      const password =
        flags['--password'] || process.env.CREDMATE_PASSWORD || (await askPassword(flags['--email'] as string));
      const db = openDatabase(flags['--data-dir'] ?? defaultDataDir());
      try {
        const out = await addUser(db, {
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
          }),
        );
      } finally {
        db.close();
      }
      return 0;
    }
    if (sub === 'list') {
      const flags = parseFlags(rest, ['--data-dir']);
      const db = openDatabase(flags['--data-dir'] ?? defaultDataDir());
      try {
        const rows = db
          .prepare(
            'SELECT u.id, u.email, u.role, o.name AS org FROM users u JOIN organizations o ON o.id = u.org_id ORDER BY o.name, u.email',
          )
          .all();
        for (const r of rows) console.log(JSON.stringify(r));
      } finally {
        db.close();
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
