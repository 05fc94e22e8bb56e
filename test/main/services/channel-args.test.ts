import { describe, expect, it } from 'vitest';
import { guessDocType } from '../../../main/services/doc-type-guess';
import { parseChannelArg } from '../../../main/services/channel-args';
import { isAllowedExternalUrl } from '../../../main/services/external-links';

describe('channel arguments', () => {
  it('accepts well-formed arguments and void channels with nothing', () => {
    expect(parseChannelArg('queue.list', { offset: 0, limit: 100, state: 'failed' })).toEqual({
      offset: 0,
      limit: 100,
      state: 'failed',
    });
    expect(parseChannelArg('session.get', undefined)).toBeUndefined();
    expect(parseChannelArg('session.get', null)).toBeUndefined();
    expect(
      parseChannelArg('documents.review', { id: 'd', fields: { npi: '1234567893' }, decision: 'approve' }),
    ).toMatchObject({ decision: 'approve' });
  });

  it('names the field that is wrong', () => {
    expect(() => parseChannelArg('queue.list', { offset: 0, limit: 100, state: 'exploded' })).toThrow(
      /queue\.list at "state"/,
    );
    expect(() => parseChannelArg('import.scan', { paths: [] })).toThrow(/import\.scan at "paths"/);
    expect(() => parseChannelArg('documents.review', { id: 'd', decision: 'maybe' })).toThrow(/decision/);
    expect(() => parseChannelArg('queue.pause', { fileIds: ['a'], extra: true })).toThrow(/queue\.pause/);
    expect(() => parseChannelArg('session.signIn', { serverUrl: 'not a url', email: 'a@b.c', password: 'x' })).toThrow(
      /serverUrl/,
    );
  });
});

describe('small rules', () => {
  it('guesses a document type from the file name only', () => {
    expect(guessDocType('2025/DEA_registration_smith.pdf')).toBe('dea_registration');
    expect(guessDocType('state-medical-license.pdf')).toBe('medical_license');
    expect(guessDocType('cme transcript 2024.pdf')).toBe('cme_transcript');
    expect(guessDocType('CME-certificate.pdf')).toBe('cme_certificate');
    expect(guessDocType('csr_ohio.pdf')).toBe('csr_certificate');
    expect(guessDocType('scan0001.pdf')).toBeNull();
  });

  it('allows only named https hosts to open externally', () => {
    expect(isAllowedExternalUrl('https://npiregistry.cms.hhs.gov/search')).toBe(true);
    expect(isAllowedExternalUrl('http://npiregistry.cms.hhs.gov/')).toBe(false);
    expect(isAllowedExternalUrl('https://npiregistry.cms.hhs.gov.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
  });
});
