import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorKind } from '../common/errors';

/** The HTTP status of each error kind: chosen here, at the server's edge, and nowhere else. */
export const STATUS_BY_KIND: Record<ErrorKind, ContentfulStatusCode> = {
  invalid_input: 400,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  cancelled: 499 as ContentfulStatusCode,
  internal: 500,
  network: 502,
  unavailable: 503,
};
