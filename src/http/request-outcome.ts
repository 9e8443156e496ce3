/** The label every request line and metric carries; the names on-call dashboards use. */
export type RequestOutcome =
  | 'signed'
  | 'ok'
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  /** The client hung up before its answer (recorded as status 499). */
  | 'aborted'
  /** The request did not arrive within HTTP_REQUEST_TIMEOUT_MS (408). */
  | 'timeout'
  | 'error';

/** nginx's "client closed request": the status a request line gives an answer never written. */
export const CLIENT_CLOSED_STATUS = 499;

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
    case 408:
      return 'timeout';
    case 429:
      return 'rate_limited';
    case CLIENT_CLOSED_STATUS:
      return 'aborted';
    case 503:
      return 'unavailable';
    default:
      return statusCode < 500 ? 'bad_request' : 'error';
  }
}
