/**
 * The renderer's Content-Security-Policy, one string for the Electron session headers, the
 * `npm run web` responses and the meta tag the Vite builds inject. No 'unsafe-eval' (pdf.js runs
 * with isEvalSupported: false) and no inline script; React sets styles through the CSSOM, which
 * CSP does not govern, so style-src stays 'self'. blob: workers are pdf.js's fallback.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same policy for a <meta> tag, where browsers ignore (and warn about) frame-ancestors. */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
