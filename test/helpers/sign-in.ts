import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { claimsFor, signJwt } from './jwt';
import { expectedUserAuth } from './pusher-signature';
import { TEST_JWT_SECRET, TEST_PUSHER } from './test-app';

export interface SignInResult {
  status: number;
  /** The signed user object, when the answer was 200 and its signature checked out. */
  user?: Record<string, unknown>;
}

const SOCKET_ID = '1234.5678';

/** Checks the signature independently and returns what was signed. */
function verified(status: number, body: string): SignInResult {
  if (status !== 200) return { status };
  const { auth, user_data: userData } = JSON.parse(body) as {
    auth: string;
    user_data: string;
  };
  if (
    auth !==
    expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, SOCKET_ID, userData)
  ) {
    throw new Error('the answer is signed wrongly');
  }
  return { status, user: JSON.parse(userData) as Record<string, unknown> };
}

const headersFor = (sub: string) => ({
  authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
  'content-type': 'application/x-www-form-urlencoded',
});

/** POSTs a sign-in for `sub` (a fresh HS256 token) to an app in this process; the answer unchecked. */
export function injectSignIn(
  app: NestFastifyApplication,
  sub: string,
  socketId: string,
) {
  return app.inject({
    method: 'POST',
    url: '/pusher/user-auth',
    headers: headersFor(sub),
    payload: `socket_id=${socketId}`,
  });
}

/** Signs `sub` in on an app in this process. */
export async function signInOnApp(
  app: NestFastifyApplication,
  sub: string,
): Promise<SignInResult> {
  const response = await injectSignIn(app, sub, SOCKET_ID);
  return verified(response.statusCode, response.body);
}

/** Signs `sub` in on a service listening on 127.0.0.1:`port` (a child process). */
export async function signInOnPort(
  port: number,
  sub: string,
): Promise<SignInResult> {
  const response = await fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
    method: 'POST',
    headers: headersFor(sub),
    body: `socket_id=${SOCKET_ID}`,
  });
  return verified(response.status, await response.text());
}
