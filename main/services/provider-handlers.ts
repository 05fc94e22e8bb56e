/** The providers channels: each asks the server through the signed-in connection (they need it; there is no offline copy). */
import type { Channel } from '../../common/ipc';
import type { Handlers } from './dispatch';
import type { ApiClient } from '../core/api-client';
import {
  confirmMatch,
  exportExpirations,
  getProviderPage,
  listFlaggedMatches,
  listExpirations,
  listProviderItems,
  mergeProviders,
  providerCompliance,
  setCmeTopics,
  splitProvider,
  takeExpiryNotices,
} from '../core/providers-client';

type ProviderChannel = Extract<Channel, `providers.${string}`>;

const timeout = () => AbortSignal.timeout(30_000);

/**
 * `poke`: decisions change documents' matches, which the server announces on the change feed;
 * polling now shows them in the Documents list at once rather than at the next idle poll.
 */
export function providerHandlers(api: () => ApiClient, poke: () => void): Pick<Handlers, ProviderChannel> {
  const decided = async <T>(done: Promise<T>): Promise<T> => {
    const value = await done;
    poke();
    return value;
  };
  return {
    'providers.list': () => listProviderItems(api(), timeout()),
    'providers.get': ({ id }) => getProviderPage(api(), id, timeout()),
    'providers.compliance': ({ id, state }) => providerCompliance(api(), id, state?.toUpperCase() ?? null, timeout()),
    'providers.expirations': () => listExpirations(api(), timeout()),
    'providers.expiryNotices': () => takeExpiryNotices(api(), timeout()),
    'providers.toConfirm': () => listFlaggedMatches(api(), timeout()),
    'providers.confirmMatch': ({ documentId, providerId }) =>
      decided(confirmMatch(api(), documentId, providerId, timeout())),
    'providers.exportExpirations': ({ format }) => exportExpirations(api(), format, timeout()),
    'providers.merge': ({ id, from }) => decided(mergeProviders(api(), id, from, timeout())),
    'providers.split': async ({ id, documentIds, name }) => ({
      id: await decided(splitProvider(api(), id, { documentIds, name }, timeout())),
    }),
    'providers.setCmeTopics': ({ id, activityKey, topics }) =>
      setCmeTopics(api(), id, { activityKey, topics }, timeout()),
  };
}
