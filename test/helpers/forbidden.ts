/**
 * The body of every 403 the service answers, whatever refused: the reason goes to the log only,
 * so a caller cannot probe which check failed.
 */
export const FORBIDDEN_BODY = {
  statusCode: 403,
  message: 'Forbidden',
  error: 'Forbidden',
};

/** Asserts an in-process answer (`app.inject`) is that plain 403. */
export function expectForbidden(response: {
  statusCode: number;
  json(): unknown;
}): void {
  expect(response.statusCode).toBe(403);
  expect(response.json()).toEqual(FORBIDDEN_BODY);
}
