import { describe, expect, it } from 'vitest';
import { databaseUrlOption, parseDatabaseUrl, redactDatabaseUrl } from '../../../server/db/database-url';

describe('--database-url', () => {
  it('accepts postgres:// and postgresql:// URLs and keeps the password out of the redacted form', () => {
    const url = parseDatabaseUrl('postgres://credmate:s3cret@db.example.org:6543/central?sslmode=require');
    expect(url).toMatchObject({ host: 'db.example.org', port: 6543, database: 'central', user: 'credmate' });
    expect(url.url).toContain('s3cret');
    expect(url.redacted).toBe('postgres://credmate:***@db.example.org:6543/central?sslmode=require');
    expect(parseDatabaseUrl('postgresql://u@localhost/db').port).toBe(5432);
    expect(redactDatabaseUrl('postgres://u@h/db?password=p%40ss')).toBe('postgres://u@h/db?password=***');
  });

  it('refuses other schemes and incomplete URLs with the reason, an example, and no password', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /--database-url is empty/],
      ['not a url', /is not a URL/],
      ['mysql://u:hunter2@h/db', /scheme "mysql"; only postgres:\/\/ is supported/],
      ['sqlite:///tmp/x.db', /scheme "sqlite"/],
      ['postgres://u:hunter2@h', /names no database/],
      ['postgres://h/db', /names no user/],
    ];
    for (const [raw, message] of cases) {
      let caught: unknown;
      try {
        parseDatabaseUrl(raw);
      } catch (error) {
        caught = error;
      }
      expect(caught, raw).toMatchObject({ kind: 'invalid_input' });
      const text = (caught as Error).message;
      expect(text).toMatch(message);
      expect(text).toMatch(/postgres:\/\/credmate:PASSWORD@/);
      expect(text).not.toContain('hunter2');
    }
  });

  it('takes the flag before CREDMATE_DATABASE_URL, and an empty variable as unset', () => {
    const env = { CREDMATE_DATABASE_URL: 'postgres://env@h/db' };
    expect(databaseUrlOption(undefined, env)?.user).toBe('env');
    expect(databaseUrlOption('postgres://flag@h/db', env)?.user).toBe('flag');
    expect(databaseUrlOption(undefined, { CREDMATE_DATABASE_URL: '' })).toBeUndefined();
    expect(() => databaseUrlOption(undefined, { CREDMATE_DATABASE_URL: 'x' })).toThrow(
      /CREDMATE_DATABASE_URL is not a URL/,
    );
  });
});
