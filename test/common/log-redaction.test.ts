import { describe, expect, it } from 'vitest';
import { errorMessageForLog, redactForLog } from '../../common/log-redaction';

describe('redactForLog', () => {
  it('removes file paths, DEA numbers and NPIs but keeps the rest of the message', () => {
    expect(redactForLog("ENOENT: no such file or directory, open '/home/ann/Providers/Jane Roe DEA.pdf'")).toBe(
      "ENOENT: no such file or directory, open '<path>'",
    );
    expect(redactForLog('bad value AP5836727 for provider 1234567893')).toBe('bad value <dea> for provider <number>');
    expect(redactForLog('open C:\\Users\\ann\\roe.pdf failed')).toBe('open <path> failed');
  });

  it('leaves URLs, ids and ordinary numbers alone', () => {
    const text = 'fetch http://127.0.0.1:8787/api/v1/uploads failed: 503 after 3 attempts (job 42)';
    expect(redactForLog(text)).toBe(text);
  });

  it('reads messages from errors and from anything else', () => {
    expect(errorMessageForLog(new Error('stat /tmp/x.pdf'))).toBe('stat <path>');
    expect(errorMessageForLog('plain')).toBe('plain');
  });
});
