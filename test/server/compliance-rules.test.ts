/**
 * One test per state rule: a provider who meets it and one who falls short, over the same cycle
 * (a license expiring 2026-12-31), with the activities a coordinator would see on certificates.
 */
import { describe, expect, it } from 'vitest';
import type { CreditType } from '../../common/extraction';
import { collectActivities, type CmeSourceDocument } from '../../server/compliance/cme-activities';
import { computeCompliance, type ComplianceResult } from '../../server/compliance/compute-compliance';
import { ruleFor } from '../../server/compliance/rules';

let seq = 0;
/** One CME certificate. */
function cert(
  completionDate: string,
  credits: number,
  creditType: CreditType,
  activityTitle: string,
): CmeSourceDocument {
  return {
    id: `doc-${++seq}`,
    docType: 'cme_certificate',
    fields: { completionDate, credits, creditType, activityTitle },
  };
}

function check(state: string, docs: CmeSourceDocument[], prescriber = true): ComplianceResult {
  return computeCompliance({
    state,
    rule: ruleFor(state),
    license: { documentId: 'lic', number: 'X1', expirationDate: '2026-12-31' },
    activities: collectActivities(docs),
    prescribesControlledSubstances: prescriber,
  });
}

const topic = (r: ComplianceResult, label: RegExp) => r.topics.find((t) => label.test(t.label))!;

describe('state CME rules', () => {
  it('CA: 50 Category 1 hours in two years and the one-time 12 hours of pain management and end-of-life care', () => {
    const base = [cert('2026-03-01', 38, 'AMA_PRA_1', 'Cardiology Update')];
    const meets = check('CA', [...base, cert('2025-06-01', 12, 'AMA_PRA_1', 'Pain Management and End-of-Life Care')]);
    expect(meets).toMatchObject({ status: 'met', shortfall: 0, cycle: { start: '2025-01-01', end: '2026-12-31' } });
    const short = check('CA', [...base, cert('2025-06-01', 10, 'AMA_PRA_1', 'Pain Management and End-of-Life Care')]);
    expect(short).toMatchObject({ status: 'short', shortfall: 2 });
    expect(topic(short, /Pain management/)).toMatchObject({ met: false, earned: 10, shortfall: 2 });
  });

  it('TX: 48 hours with 24 formal, 2 in ethics, opioid hours within 8 years and human trafficking within 6', () => {
    const rest = [
      cert('2026-02-01', 2, 'AMA_PRA_1', 'Medical Ethics and Professional Responsibility'),
      cert('2025-05-01', 24, 'OTHER', 'Grand Rounds'),
      cert('2020-04-01', 2, 'AMA_PRA_1', 'Opioid Prescribing and Pain'),
      cert('2022-04-01', 1, 'AMA_PRA_1', 'Human Trafficking Prevention'),
    ];
    const meets = check('TX', [cert('2026-01-10', 22, 'AMA_PRA_1', 'Internal Medicine Review'), ...rest]);
    expect(meets).toMatchObject({ status: 'met', earned: { total: 48 } });
    const short = check('TX', [cert('2026-01-10', 20, 'AMA_PRA_1', 'Internal Medicine Review'), ...rest]);
    expect(short).toMatchObject({ status: 'short', shortfall: 2 });
    expect(short.categoryMinimums[0]).toMatchObject({ required: 24, earned: 22, met: false });
  });

  it('FL: 40 Category 1 hours with medical errors, domestic violence, and controlled-substance prescribing for DEA registrants', () => {
    const common = [
      cert('2026-01-10', 34, 'AMA_PRA_1', 'Hospital Medicine'),
      cert('2025-09-01', 2, 'AMA_PRA_1', 'Prevention of Medical Errors'),
      cert('2025-10-01', 2, 'AMA_PRA_1', 'Domestic Violence Screening'),
      cert('2020-06-01', 1, 'AMA_PRA_1', 'Human Trafficking'),
    ];
    const meets = check('FL', [...common, cert('2025-11-01', 2, 'AMA_PRA_1', 'Controlled Substance Prescribing')]);
    expect(meets).toMatchObject({ status: 'met', earned: { total: 40 } });
    const short = check('FL', [...common, cert('2025-11-01', 2, 'AMA_PRA_1', 'Lipid Management')]);
    expect(short).toMatchObject({ status: 'short', shortfall: 0 });
    expect(topic(short, /controlled substances/)).toMatchObject({ applies: true, met: false, shortfall: 2 });
    // The same hours are enough for a physician with no DEA registration on file.
    expect(check('FL', [...common, cert('2025-11-01', 2, 'AMA_PRA_1', 'Lipid Management')], false).status).toBe('met');
  });

  it('NY: no general hours; pain, palliative care and addiction every 3 years, infection control every 4, child abuse once', () => {
    const rest = [
      cert('2025-04-01', 3, 'AMA_PRA_1', 'Pain Management, Palliative Care and Addiction'),
      cert('2010-05-01', 2, 'OTHER', 'Child Abuse Identification and Reporting'),
    ];
    const meets = check('NY', [...rest, cert('2024-02-01', 2, 'OTHER', 'Infection Control and Barrier Precautions')]);
    expect(meets).toMatchObject({ status: 'met', hoursRequired: null, total: null });
    const short = check('NY', [...rest, cert('2021-02-01', 2, 'OTHER', 'Infection Control and Barrier Precautions')]);
    expect(short.status).toBe('short');
    expect(topic(short, /Infection control/)).toMatchObject({ met: false, activityKeys: [] });
  });

  it('PA: 100 hours with 20 Category 1, 12 in patient safety, 2 in child abuse and 2 in opioids', () => {
    const rest = [
      cert('2025-03-01', 20, 'AMA_PRA_1', 'Cardiology'),
      cert('2025-04-01', 12, 'AMA_PRA_2', 'Patient Safety in the Clinic'),
      cert('2025-05-01', 2, 'AMA_PRA_1', 'Child Abuse Recognition and Reporting'),
      cert('2025-06-01', 2, 'AMA_PRA_1', 'Opioid Prescribing'),
    ];
    expect(check('PA', [...rest, cert('2026-01-01', 64, 'AMA_PRA_2', 'Journal Reading')])).toMatchObject({
      status: 'met',
      earned: { total: 100 },
    });
    const short = check('PA', [...rest, cert('2026-01-01', 54, 'AMA_PRA_2', 'Journal Reading')]);
    expect(short).toMatchObject({ status: 'short', shortfall: 10, total: { earned: 90, met: false } });
  });

  it('IL: 150 hours in three years with 60 Category 1, sexual harassment, implicit bias and safe opioid prescribing', () => {
    const rest = [
      cert('2024-03-01', 55, 'AMA_PRA_1', 'Hospital Medicine'),
      cert('2025-03-01', 90, 'AMA_PRA_2', 'Self-Directed Learning'),
      cert('2025-04-01', 1, 'AMA_PRA_1', 'Sexual Harassment Prevention'),
      cert('2025-05-01', 3, 'AMA_PRA_1', 'Safe Opioid Prescribing'),
    ];
    const meets = check('IL', [...rest, cert('2026-01-01', 1, 'AMA_PRA_1', 'Implicit Bias in Health Care')]);
    expect(meets).toMatchObject({ status: 'met', cycle: { start: '2024-01-01' }, categoryMinimums: [{ earned: 60 }] });
    const short = check('IL', [...rest, cert('2026-01-01', 1, 'AMA_PRA_1', 'Sepsis Update')]);
    expect(short).toMatchObject({ status: 'short', shortfall: 0 });
    expect(topic(short, /Implicit bias/)).toMatchObject({ met: false });
  });

  it('OH: 50 Category 1 hours including one on the duty to report misconduct', () => {
    const duty = cert('2026-05-01', 1, 'AMA_PRA_1', 'Duty to Report Misconduct');
    expect(check('OH', [cert('2025-05-01', 49, 'AMA_PRA_1', 'Update in Medicine'), duty]).status).toBe('met');
    const short = check('OH', [cert('2025-05-01', 49, 'AMA_PRA_2', 'Update in Medicine'), duty]);
    expect(short).toMatchObject({ status: 'short', shortfall: 49, earned: { total: 1 } });
    expect(short.excluded).toEqual([
      { key: expect.stringContaining('UPDATE IN MEDICINE'), reason: 'AMA_PRA_2 credit does not count in OH' },
    ]);
  });

  it('GA: 40 Category 1 hours, a one-time controlled-substance course for DEA holders and one on professional boundaries', () => {
    const rest = [
      cert('2025-08-01', 38, 'AMA_PRA_1', 'Family Medicine Review'),
      cert('2025-09-01', 2, 'AMA_PRA_1', 'Professional Boundaries and Sexual Misconduct'),
    ];
    const meets = check('GA', [...rest, cert('2019-02-01', 3, 'AMA_PRA_1', 'Controlled Substance Prescribing')]);
    expect(meets).toMatchObject({ status: 'met', earned: { total: 40 } });
    const short = check('GA', rest);
    expect(short.status).toBe('short');
    expect(topic(short, /Controlled substance/)).toMatchObject({ met: false, shortfall: 3 });
  });

  it('NC: 60 Category 1 hours in three years with 3 on controlled substance prescribing, the cycle marked approximate', () => {
    const general = cert('2025-01-15', 57, 'AMA_PRA_1', 'Emergency Medicine Update');
    const meets = check('NC', [
      general,
      cert('2024-06-01', 3, 'AMA_PRA_1', 'Controlled Substance Prescribing and Chronic Pain'),
    ]);
    expect(meets).toMatchObject({ status: 'met', cycle: { approximate: true, anchor: 'birthday' } });
    const short = check('NC', [
      general,
      cert('2023-06-01', 3, 'AMA_PRA_1', 'Controlled Substance Prescribing and Chronic Pain'),
    ]);
    expect(short).toMatchObject({ status: 'short', shortfall: 3 });
  });

  it('MI: 150 hours with 75 Category 1, ethics, pain and symptom management, implicit bias and human trafficking', () => {
    const rest = [
      cert('2024-05-01', 1, 'AMA_PRA_1', 'Medical Ethics'),
      cert('2024-06-01', 2, 'AMA_PRA_1', 'Pain and Symptom Management'),
      cert('2024-07-01', 1, 'AMA_PRA_1', 'Opioid Prescribing for Pain'),
      cert('2025-01-01', 3, 'AMA_PRA_1', 'Implicit Bias Training'),
      cert('2025-02-01', 73, 'AMA_PRA_2', 'Self-Study'),
      cert('2021-01-01', 1, 'OTHER', 'Identifying Victims of Human Trafficking'),
    ];
    const meets = check('MI', [...rest, cert('2026-01-01', 70, 'AMA_PRA_1', 'Internal Medicine Board Review')]);
    expect(meets).toMatchObject({ status: 'met', earned: { total: 150 }, categoryMinimums: [{ earned: 77 }] });
    expect(topic(meets, /Pain and symptom/)).toMatchObject({ earned: 3, met: true });
    const short = check('MI', [...rest, cert('2026-01-01', 60, 'AMA_PRA_1', 'Internal Medicine Board Review')]);
    expect(short).toMatchObject({ status: 'short', shortfall: 10, categoryMinimums: [{ earned: 67, shortfall: 8 }] });
  });

  it('a state with no rule on file says so and assumes nothing; a license without an expiration has no cycle', () => {
    const docs = [cert('2026-01-01', 50, 'AMA_PRA_1', 'Anything')];
    expect(check('WA', docs)).toMatchObject({ status: 'no_rule', source: null, cycle: null, shortfall: 0 });
    expect(check('WA', docs).message).toMatch(/No CME rule is on file for WA/);
    const noExpiry = computeCompliance({
      state: 'CA',
      rule: ruleFor('CA'),
      license: { documentId: 'l', number: 'A1', expirationDate: null },
      activities: collectActivities(docs),
      prescribesControlledSubstances: false,
    });
    expect(noExpiry).toMatchObject({ status: 'no_cycle', cycle: null });
  });
});
