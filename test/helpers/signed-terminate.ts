import {
  expectedRestSignature,
  md5Hex,
  RecordedRequest,
} from './pusher-rest-stand-in';
import { TEST_PUSHER } from './test-app';

/** A terminate_connections call for user `id` of the test app, signed as the REST API requires. */
export function expectSignedTerminate(
  request: RecordedRequest,
  id: string,
): void {
  expect(request.method).toBe('POST');
  expect(request.path).toBe(
    `/apps/${TEST_PUSHER.appId}/users/${id}/terminate_connections`,
  );
  expect([...request.query.keys()].sort()).toEqual([
    'auth_key',
    'auth_signature',
    'auth_timestamp',
    'auth_version',
    'body_md5',
  ]);
  expect(request.query.get('auth_key')).toBe(TEST_PUSHER.key);
  expect(request.query.get('auth_version')).toBe('1.0');
  expect(request.query.get('body_md5')).toBe(md5Hex(request.body));
  expect(
    Math.abs(Number(request.query.get('auth_timestamp')) - Date.now() / 1000),
  ).toBeLessThan(300);
  expect(request.query.get('auth_signature')).toBe(
    expectedRestSignature(TEST_PUSHER.secret, request),
  );
}
