/**
 * The providers HTTP answers (server/routes/provider-routes.ts) as zod schemas, for the clients
 * that read them: the command line and the desktop's IPC channels. The server computes them in
 * server/providers and server/compliance; nested parts the clients only display pass through.
 */
import { z } from 'zod';

/**
 * The topics a state's CME rule can require (server/compliance/rules) and a coordinator can set
 * on an activity by hand (PUT /providers/:id/cme-topics).
 */
export const CME_TOPICS = [
  'opioid_prescribing',
  'pain_management',
  'end_of_life',
  'implicit_bias',
  'ethics',
  'domestic_violence',
  'medical_errors',
  'risk_management',
  'human_trafficking',
  'infection_control',
  'child_abuse',
  'sexual_harassment',
  'professional_boundaries',
  'dementia',
  'duty_to_report',
] as const;
export type CmeTopic = (typeof CME_TOPICS)[number];

export const ProviderCredential = z.object({
  docType: z.string(),
  state: z.string().nullable(),
  number: z.string().nullable(),
  /** On the day asked: current, expiring (within 90 days), expired, or no_expiration printed. */
  status: z.string(),
  expirationDate: z.string().nullable(),
  documentId: z.string(),
});

/** One entry of `credmate providers --json` (and of GET /providers, which adds `toConfirm`). */
export const ProviderListEntry = z.object({
  id: z.string(),
  name: z.string(),
  npi: z.string().nullable(),
  documents: z.number().int(),
  credentials: z.array(ProviderCredential),
  cme: z.object({
    totalCredits: z.number(),
    activities: z.number().int(),
    byCreditType: z.record(z.string(), z.number()),
  }),
});
export type ProviderListEntry = z.infer<typeof ProviderListEntry>;
export const ProviderListItem = ProviderListEntry.extend({ toConfirm: z.number().int() });
export type ProviderListItem = z.infer<typeof ProviderListItem>;

export const CmeActivityView = z
  .object({
    key: z.string(),
    title: z.string().nullable(),
    completionDate: z.string().nullable(),
    credits: z.number().nullable(),
    creditType: z.string().nullable(),
    sources: z.array(z.object({ documentId: z.string(), kind: z.string(), row: z.number().optional() })),
    topics: z.array(z.object({ topic: z.string(), match: z.string().nullable(), source: z.string() })),
    /** True when a coordinator set the topics (possibly none); absent when read from the title. */
    topicsByHand: z.boolean().optional(),
  })
  .passthrough();
export type CmeActivityView = z.infer<typeof CmeActivityView>;

const CredentialEntry = ProviderCredential.extend({
  printedStatus: z.string().nullable(),
  issueDate: z.string().nullable(),
  fileName: z.string(),
}).passthrough();

/**
 * The upload folder read as a person's name (details_json.folderHint of a match): whether it names
 * the provider the automatic match chose ('same'), another person ('other') or someone only partly
 * alike ('unclear'). A hint, never proof; absent (null) when no folder reads as a name.
 */
export const FolderHintView = z.object({ folder: z.string(), fits: z.enum(['same', 'other', 'unclear']) });
export type FolderHintView = z.infer<typeof FolderHintView>;

export const ProviderPage = z.object({
  provider: z.object({
    id: z.string(),
    name: z.string(),
    npi: z.string().nullable(),
    origin: z.string(),
    createdAt: z.string(),
  }),
  identifiers: z.array(z.object({ kind: z.string(), state: z.string(), value: z.string(), origin: z.string() })),
  documents: z.array(
    z.object({
      documentId: z.string(),
      docType: z.string().nullable(),
      fileName: z.string(),
      status: z.string(),
      evidence: z.string(),
      score: z.number(),
      needsConfirmation: z.boolean(),
      reasons: z.array(z.string()),
      confirmedBy: z.string().nullable(),
      // A server before the folder hint sends none: read as no hint.
      folderHint: FolderHintView.nullable().default(null),
    }),
  ),
  credentials: z.array(z.object({ current: CredentialEntry, history: z.array(CredentialEntry) })),
  cme: z.object({
    activities: z.array(CmeActivityView),
    totals: z.object({
      totalCredits: z.number(),
      activities: z.number(),
      byCreditType: z.record(z.string(), z.number()),
      byYear: z.record(z.string(), z.number()),
    }),
  }),
});
export type ProviderPage = z.infer<typeof ProviderPage>;

const Requirement = z.object({
  label: z.string(),
  required: z.number().nullable(),
  earned: z.number(),
  met: z.boolean(),
  shortfall: z.number(),
  activityKeys: z.array(z.string()),
});
export type ComplianceRequirement = z.infer<typeof Requirement>;

export const LicenseCompliance = z
  .object({
    state: z.string(),
    status: z.enum(['met', 'short', 'no_rule', 'no_cycle']),
    message: z.string(),
    source: z
      .object({
        board: z.string(),
        citation: z.string(),
        url: z.string(),
        checkedOn: z.string(),
        /** Where the sources disagree or leave the rule open, and how the entry reads it (none: empty). */
        caveats: z.array(z.string()).default([]),
      })
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
    activities: z.array(CmeActivityView),
    licenses: z.array(LicenseCompliance),
  })
  .passthrough();
export type ComplianceAnswer = z.infer<typeof ComplianceAnswer>;

export const ExpirationItem = z.object({
  providerId: z.string(),
  providerName: z.string(),
  docType: z.string(),
  state: z.string().nullable(),
  number: z.string().nullable(),
  expirationDate: z.string(),
  daysLeft: z.number().int(),
  bucket: z.enum(['expired', 'within_30', 'within_60', 'within_90']),
  documentId: z.string(),
});
export type ExpirationItem = z.infer<typeof ExpirationItem>;

/** A document whose match waits for a coordinator: weak, ambiguous or conflicting evidence. */
export const FlaggedMatch = z.object({
  documentId: z.string(),
  docType: z.string().nullable(),
  fileName: z.string(),
  status: z.string(),
  evidence: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  /** The provider it is tentatively matched to, or null when the candidates are too close to choose. */
  providerId: z.string().nullable(),
  candidates: z.array(z.object({ providerId: z.string(), evidence: z.string(), score: z.number() })),
  folderHint: FolderHintView.nullable().default(null),
});
export type FlaggedMatch = z.infer<typeof FlaggedMatch>;
