import { createServer } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { toHttpFailure } from '../../main/core/http-failure';
import { unreachableReason } from '../../main/core/network-reason';
import { undiciFetch } from '../../main/core/undici-fetch';

/** A port that was free a moment ago: listen on 0, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('why a server cannot be reached', () => {
  it('says that nothing answers at a refused address, from a real connection attempt', async () => {
    const port = await closedPort();
    const fetch = undiciFetch(new Agent());
    const err = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => null,
      (e: unknown) => e,
    );
    const failure = (await toHttpFailure(err, 'Sign-in')) as Error & { kind: string };
    expect(failure.kind).toBe('network');
    expect(failure.message).toBe(
      `Sign-in: cannot reach the server: nothing is answering at 127.0.0.1:${port}; check the port number in the address and that the CredMate server is running`,
    );
  });

  it('turns a misspelt host name into advice instead of getaddrinfo ENOTFOUND', () => {
    // The shape Node's resolver rejects with, wrapped as fetch wraps it.
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND credmate.exmaple.org'), {
      code: 'ENOTFOUND',
      hostname: 'credmate.exmaple.org',
      syscall: 'getaddrinfo',
    });
    const reason = unreachableReason(new TypeError('fetch failed', { cause: dns }));
    expect(reason).toBe(
      'no computer named "credmate.exmaple.org" was found; check the server address for typing mistakes (for example https://credmate.example.org)',
    );
    expect(reason).not.toContain('ENOTFOUND');
  });

  it('names certificate and protocol problems and keeps an unknown cause readable', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(unreachableReason(new TypeError('fetch failed', { cause: tls }))).toMatch(
      /^its security certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    const proto = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(unreachableReason(new TypeError('fetch failed', { cause: proto }))).toContain('http:// or https://');
    expect(unreachableReason(new TypeError('fetch failed', { cause: new Error('socket hang up') }))).toBe(
      'socket hang up',
    );
    expect(unreachableReason(new TypeError('fetch failed'))).toBe('no connection');
  });
});
