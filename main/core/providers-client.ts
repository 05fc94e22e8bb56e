/**
 * The providers API (server/routes/provider-routes.ts) for the command line and the desktop's
 * channels, each answer parsed with its schema from common/providers-api.ts.
 */
import ky from 'ky';
import { z } from 'zod';
import { API_PREFIX } from '../../common/api';
import {
  ComplianceAnswer,
  ExpirationItem,
  FlaggedMatch,
  ProviderListEntry,
  ProviderListItem,
  ProviderPage,
} from '../../common/providers-api';
import { API_TIMEOUT_MS, type ApiClient } from './api-client';
import { toHttpFailure } from './http-failure';

export type { LicenseCompliance } from '../../common/providers-api';
export type { ComplianceAnswer, ProviderListEntry, ProviderListItem };

async function getJson<T>(
  api: ApiClient,
  path: string,
  schema: z.ZodType<T>,
  what: string,
  signal?: AbortSignal,
  method: 'get' | 'post' = 'get',
): Promise<T> {
  let body: unknown;
  try {
    body = await ky(`${api.baseUrl}${API_PREFIX}${path}`, {
      method,
      retry: 0,
      timeout: API_TIMEOUT_MS,
      signal,
      headers: api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {},
    }).json();
  } catch (err) {
    throw await toHttpFailure(err, what);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new Error(
      `${what}: the server answered in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
    );
  return parsed.data;
}

export async function listProviders(api: ApiClient, signal?: AbortSignal): Promise<ProviderListEntry[]> {
  const res = await getJson(
    api,
    '/providers',
    z.object({ providers: z.array(ProviderListEntry) }),
    'Listing providers',
    signal,
  );
  return res.providers;
}

export function providerCompliance(
  api: ApiClient,
  providerIdOrNpi: string,
  state: string | null,
  signal?: AbortSignal,
): Promise<ComplianceAnswer> {
  const query = state ? `?state=${encodeURIComponent(state)}` : '';
  return getJson(
    api,
    `/providers/${encodeURIComponent(providerIdOrNpi)}/compliance${query}`,
    ComplianceAnswer,
    'Computing compliance',
    signal,
  );
}

/** The list as the desktop shows it (with the count of matches to confirm). */
export async function listProviderItems(api: ApiClient, signal?: AbortSignal): Promise<ProviderListItem[]> {
  const res = await getJson(
    api,
    '/providers',
    z.object({ providers: z.array(ProviderListItem) }),
    'Listing providers',
    signal,
  );
  return res.providers;
}

export function getProviderPage(api: ApiClient, id: string, signal?: AbortSignal): Promise<ProviderPage> {
  return getJson(api, `/providers/${encodeURIComponent(id)}`, ProviderPage, 'Reading the provider', signal);
}

export async function listExpirations(api: ApiClient, signal?: AbortSignal): Promise<ExpirationItem[]> {
  const res = await getJson(
    api,
    '/providers/expirations',
    z.object({ expirations: z.array(ExpirationItem) }),
    'Listing expirations',
    signal,
  );
  return res.expirations;
}

/** Credentials that entered an expiry window since this user was last told (the server remembers, per window). */
export async function takeExpiryNotices(api: ApiClient, signal?: AbortSignal): Promise<ExpirationItem[]> {
  const res = await getJson(
    api,
    '/providers/expirations/notices',
    z.object({ notices: z.array(ExpirationItem) }),
    'Checking expirations',
    signal,
    'post',
  );
  return res.notices;
}

export const RosterResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type RosterResult = z.infer<typeof RosterResult>;

/** Seeds providers from a roster CSV (admins only); rows it cannot read come back by line. */
export async function seedRoster(api: ApiClient, csv: string, signal?: AbortSignal): Promise<RosterResult> {
  let body: unknown;
  try {
    body = await ky
      .post(`${api.baseUrl}${API_PREFIX}/providers/roster`, {
        body: csv,
        retry: 0,
        timeout: API_TIMEOUT_MS,
        signal,
        headers: {
          'content-type': 'text/csv',
          ...(api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {}),
        },
      })
      .json();
  } catch (err) {
    throw await toHttpFailure(err, 'Seeding the roster');
  }
  return RosterResult.parse(body);
}

export async function listFlaggedMatches(api: ApiClient, signal?: AbortSignal): Promise<FlaggedMatch[]> {
  const res = await getJson(
    api,
    '/providers/review',
    z.object({ matches: z.array(FlaggedMatch) }),
    'Listing matches to confirm',
    signal,
  );
  return res.matches;
}

/** A coordinator's decision: the document belongs to this provider (or to none of them). */
export async function confirmMatch(
  api: ApiClient,
  documentId: string,
  providerId: string | null,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await ky.put(`${api.baseUrl}${API_PREFIX}/providers/matches/${encodeURIComponent(documentId)}`, {
      json: { providerId },
      retry: 0,
      timeout: API_TIMEOUT_MS,
      signal,
      headers: api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {},
    });
  } catch (err) {
    throw await toHttpFailure(err, 'Confirming the match');
  }
}

const authHeaders = (api: ApiClient) => (api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {});

/** The organisation's expirations (90 days and expired) as the server writes them: CSV or iCalendar text. */
export async function exportExpirations(api: ApiClient, format: 'csv' | 'ics', signal?: AbortSignal): Promise<string> {
  try {
    return await ky
      .get(`${api.baseUrl}${API_PREFIX}/providers/expirations?format=${format}`, {
        retry: 0,
        timeout: API_TIMEOUT_MS,
        signal,
        headers: authHeaders(api),
      })
      .text();
  } catch (err) {
    throw await toHttpFailure(err, 'Exporting expirations');
  }
}

/** Folds provider `fromId` into `intoId` (one person listed twice); audited on the server. */
export async function mergeProviders(
  api: ApiClient,
  intoId: string,
  fromId: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await ky.post(`${api.baseUrl}${API_PREFIX}/providers/${encodeURIComponent(intoId)}/merge`, {
      json: { from: fromId },
      retry: 0,
      timeout: API_TIMEOUT_MS,
      signal,
      headers: authHeaders(api),
    });
  } catch (err) {
    throw await toHttpFailure(err, 'Merging providers');
  }
}

/** Moves documents of a provider to a new provider named `name`; the new provider's id. Audited on the server. */
export async function splitProvider(
  api: ApiClient,
  fromId: string,
  req: { documentIds: string[]; name: string },
  signal?: AbortSignal,
): Promise<string> {
  let body: unknown;
  try {
    body = await ky
      .post(`${api.baseUrl}${API_PREFIX}/providers/${encodeURIComponent(fromId)}/split`, {
        json: req,
        retry: 0,
        timeout: API_TIMEOUT_MS,
        signal,
        headers: authHeaders(api),
      })
      .json();
  } catch (err) {
    throw await toHttpFailure(err, 'Splitting the provider');
  }
  return z.object({ id: z.string() }).parse(body).id;
}

/** A coordinator's topics for one CME activity of a provider (empty: no topic; null: the title's again); audited on the server. */
export async function setCmeTopics(
  api: ApiClient,
  providerId: string,
  req: { activityKey: string; topics: readonly string[] | null },
  signal?: AbortSignal,
): Promise<void> {
  try {
    await ky.put(`${api.baseUrl}${API_PREFIX}/providers/${encodeURIComponent(providerId)}/cme-topics`, {
      json: req,
      retry: 0,
      timeout: API_TIMEOUT_MS,
      signal,
      headers: authHeaders(api),
    });
  } catch (err) {
    throw await toHttpFailure(err, "Setting the activity's topics");
  }
}
