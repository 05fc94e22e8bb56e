/**
 * Session tokens sealed with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). On Linux
 * with the 'basic_text' backend there is no real encryption, so nothing is persisted and the user
 * signs in again next time, as the issue asks.
 */
import { safeStorage } from 'electron';
import type { TokenVault } from '../services/session-file';

export function canPersistTokens(
  storage: Pick<typeof safeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform,
): boolean {
  if (!storage.isEncryptionAvailable()) return false;
  return !(platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text');
}

export function createSafeStorageVault(
  storage: typeof safeStorage = safeStorage,
  platform: NodeJS.Platform = process.platform,
): TokenVault {
  return {
    canPersist: () => canPersistTokens(storage, platform),
    encrypt: (token) => storage.encryptString(token).toString('base64'),
    decrypt: (sealed) => storage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
