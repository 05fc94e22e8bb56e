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
  splitProvider,
  takeExpiryNotices,
} from '../core/providers-client';

type ProviderChannel = Extract<Channel, `providers.${string}`>;

const timeout = () => AbortSignal.timeout(30_000);

export function providerHandlers(api: () => ApiClient): Pick<Handlers, ProviderChannel> {
  return {
    'providers.list': () => listProviderItems(api(), timeout()),
    'providers.get': ({ id }) => getProviderPage(api(), id, timeout()),
    'providers.compliance': ({ id, state }) => providerCompliance(api(), id, state?.toUpperCase() ?? null, timeout()),
    'providers.expirations': () => listExpirations(api(), timeout()),
    'providers.expiryNotices': () => takeExpiryNotices(api(), timeout()),
    'providers.toConfirm': () => listFlaggedMatches(api(), timeout()),
    'providers.confirmMatch': ({ documentId, providerId }) => confirmMatch(api(), documentId, providerId, timeout()),
    'providers.exportExpirations': ({ format }) => exportExpirations(api(), format, timeout()),
    'providers.merge': ({ id, from }) => mergeProviders(api(), id, from, timeout()),
    'providers.split': async ({ id, documentIds, name }) => ({
      id: await splitProvider(api(), id, { documentIds, name }, timeout()),
    }),
  };
}
