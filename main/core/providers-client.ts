/**
 * The providers API (server/routes/provider-routes.ts) for the command line: the list and one
 * provider's compliance, parsed with the schemas of the shapes the commands print.
 */
import ky from 'ky';
import { z } from 'zod';
import { API_PREFIX } from '../../common/api';
import { API_TIMEOUT_MS, type ApiClient } from './api-client';
import { toHttpFailure } from './http-failure';

export const ProviderListEntry = z.object({
  id: z.string(),
  name: z.string(),
  npi: z.string().nullable(),
  documents: z.number().int(),
  credentials: z.array(
    z.object({
      docType: z.string(),
      state: z.string().nullable(),
      number: z.string().nullable(),
      status: z.string(),
      expirationDate: z.string().nullable(),
      documentId: z.string(),
    }),
  ),
  cme: z.object({
    totalCredits: z.number(),
    activities: z.number().int(),
    byCreditType: z.record(z.string(), z.number()),
  }),
});
export type ProviderListEntry = z.infer<typeof ProviderListEntry>;

const Requirement = z.object({
  label: z.string(),
  required: z.number().nullable(),
  earned: z.number(),
  met: z.boolean(),
  shortfall: z.number(),
  activityKeys: z.array(z.string()),
});
export const LicenseCompliance = z
  .object({
    state: z.string(),
    status: z.enum(['met', 'short', 'no_rule', 'no_cycle']),
    message: z.string(),
    source: z
      .object({ board: z.string(), citation: z.string(), url: z.string(), checkedOn: z.string() })
      .passthrough()
      .nullable(),
    license: z
      .object({ documentId: z.string(), number: z.string().nullable(), expirationDate: z.string().nullable() })
      .nullable(),
    cycle: z
      .object({ start: z.string(), end: z.string(), approximate: z.boolean(), note: z.string().nullable() })
      .passthrough()
      .nullable(),
    hoursRequired: z.number().nullable(),
    earned: z.object({ total: z.number(), byCreditType: z.record(z.string(), z.number()) }),
    total: Requirement.nullable(),
    categoryMinimums: z.array(Requirement),
    topics: z.array(Requirement.extend({ applies: z.boolean() }).passthrough()),
    shortfall: z.number(),
    notEvaluated: z.array(z.string()),
  })
  .passthrough();
export type LicenseCompliance = z.infer<typeof LicenseCompliance>;
export const ComplianceAnswer = z
  .object({
    provider: z.object({ id: z.string(), name: z.string(), npi: z.string().nullable() }),
    activities: z.array(
      z.object({ key: z.string(), title: z.string().nullable(), credits: z.number().nullable() }).passthrough(),
    ),
    licenses: z.array(LicenseCompliance),
  })
  .passthrough();
export type ComplianceAnswer = z.infer<typeof ComplianceAnswer>;

async function getJson<T>(
  api: ApiClient,
  path: string,
  schema: z.ZodType<T>,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  let body: unknown;
  try {
    body = await ky
      .get(`${api.baseUrl}${API_PREFIX}${path}`, {
        retry: 0,
        timeout: API_TIMEOUT_MS,
        signal,
        headers: api.sessionToken ? { authorization: `Bearer ${api.sessionToken}` } : {},
      })
      .json();
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
