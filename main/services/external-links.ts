/**
 * Which links may leave the app for the system browser: https only, to hosts we name. Anything
 * else (file:, javascript:, http:, look-alike hosts) stays blocked.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'credentialmate.com',
  'www.credentialmate.com',
  'help.credentialmate.com',
  'www.nppes.cms.hhs.gov',
  'npiregistry.cms.hhs.gov',
];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' && url.username === '' && url.password === '' && EXTERNAL_HOSTS.includes(url.hostname)
  );
}
