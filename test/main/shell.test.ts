import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  app: {},
  Notification: class {},
  nativeImage: {},
  Tray: class {},
  net: {},
  protocol: {},
  safeStorage: {},
}));

const { canPersistTokens, createSafeStorageVault } = await import('../../main/shell/safe-storage-vault');
const { resolveAppFile } = await import('../../main/shell/app-protocol');
const { batchMessage, pendingCount } = await import('../../main/shell/desktop-presence');

const storage = (available: boolean, backend: string) => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend as never,
  encryptString: (s: string) => Buffer.from(`sealed:${s}`),
  decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
});

describe('shell pieces', () => {
  it('persists tokens only with real OS encryption (never Linux basic_text)', () => {
    expect(canPersistTokens(storage(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(canPersistTokens(storage(true, 'basic_text'), 'linux')).toBe(false);
    expect(canPersistTokens(storage(false, 'unknown'), 'darwin')).toBe(false);
    expect(canPersistTokens(storage(true, 'unknown'), 'win32')).toBe(true);
    const vault = createSafeStorageVault(storage(true, 'kwallet5') as never, 'linux');
    expect(vault.decrypt(vault.encrypt('tok'))).toBe('tok');
    expect(vault.encrypt('tok')).not.toContain('tok');
  });

  it('serves only files inside the renderer folder', () => {
    const root = '/app/out/renderer';
    expect(resolveAppFile(root, 'app://credmate/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile(root, 'app://credmate/assets/index.js')).toBe('/app/out/renderer/assets/index.js');
    expect(resolveAppFile(root, 'app://credmate/..%2F..%2Fmain%2Findex.js')).toBeNull();
    // The URL parser folds %2e%2e segments before we see them: the result stays inside the root.
    expect(resolveAppFile(root, 'app://credmate/%2e%2e/secret')).toBe('/app/out/renderer/secret');
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });

  it('counts what is left to upload and words batch notifications without names', () => {
    expect(pendingCount({ queued: 2, uploading: 1, completing: 1, paused: 3, uploaded: 9 })).toBe(7);
    expect(batchMessage({ uploaded: 10, duplicates: 2, failed: 0 })).toEqual({
      title: 'Batch uploaded',
      body: '10 uploaded, 2 already there. Extraction runs next.',
    });
    expect(batchMessage({ uploaded: 8, duplicates: 0, failed: 2 }).title).toBe('Batch needs attention');
  });
});
