import { BridgeError } from '../../renderer/bridge/bridge-error';
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../preload/contract';
import { withBridgeErrors } from '../../renderer/bridge/api';
import { connectEvents, createAppStore } from '../../renderer/store/app-store';
import { createFakeApi } from './fake-api';

const signedIn: SessionState = {
  signedIn: true,
  mode: 'remote',
  serverUrl: 'https://c.example',
  user: { id: 'u', email: 'a@c.example', role: 'reviewer', organization: { id: 'o', name: 'Org' } },
};

describe('session slice', () => {
  it('signs in and shows the server answer when it refuses', async () => {
    let attempts = 0;
    const fake = createFakeApi({
      'session.signIn': () => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new BridgeError('auth', 'Wrong email or password.'));
        return signedIn;
      },
    });
    const store = createAppStore(withBridgeErrors(fake.api));
    await store.getState().signIn('https://c.example', 'a@c.example', 'nope');
    expect(store.getState().sessionError).toBe('Wrong email or password.');
    expect(store.getState().sessionBusy).toBe(false);
    await store.getState().signIn('https://c.example', 'a@c.example', 'right');
    expect(store.getState().session).toEqual(signedIn);
    expect(store.getState().sessionError).toBeNull();
  });

  it('follows session changes pushed by main, with their message', () => {
    const fake = createFakeApi({});
    const store = createAppStore(fake.api);
    connectEvents(store, fake.api);
    fake.emit('session.changed', signedIn);
    expect(store.getState().session?.signedIn).toBe(true);
    fake.emit('session.changed', {
      signedIn: false,
      mode: null,
      serverUrl: 'https://c.example',
      message: 'Your session has ended: please sign in again.',
    });
    expect(store.getState().session?.signedIn).toBe(false);
    expect(store.getState().sessionError).toBe('Your session has ended: please sign in again.');
  });
});
