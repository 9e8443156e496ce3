/** The label every request line and metric carries; the names on-call dashboards use. */
export type RequestOutcome =
  | 'signed'
  | 'ok'
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'error';

export function outcomeOf(
  statusCode: number,
  signingEndpoint: boolean,
): RequestOutcome {
  if (statusCode < 400) return signingEndpoint ? 'signed' : 'ok';
  switch (statusCode) {
    case 401:
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return statusCode < 500 ? 'bad_request' : 'error';
  }
}
