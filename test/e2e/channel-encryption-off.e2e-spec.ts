import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const NOT_ENABLED =
  'private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64)';

describe('private-encrypted channels without PUSHER_ENCRYPTION_MASTER_KEY_BASE64', () => {
  let service: TestApp;

  const post = (body: string, sub = 'alice') =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body,
    });

  beforeAll(async () => {
    service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    await service.seed(
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(() => service?.close());

  it('answers 501 with a message saying why, and signs nothing', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-encrypted-user-alice',
    );
    expect(response.statusCode).toBe(501);
    expect(response.json()).toEqual({
      statusCode: 501,
      message: [NOT_ENABLED],
      error: 'Not Implemented',
    });
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('still answers 403 first when the policy would not allow the channel anyway', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-encrypted-user-alice',
      'bob',
    );
    expect(response.statusCode).toBe(403);
  });

  it('keeps signing plain private channels', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-user-alice',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().shared_secret).toBeUndefined();
  });

  it('answers 501 for that entry alone in a batch', async () => {
    const response = await post(
      'socket_id=1.2&channel_name[0]=private-encrypted-user-alice&channel_name[1]=private-user-alice',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body['private-encrypted-user-alice']).toEqual({
      status: 501,
      message: [NOT_ENABLED],
    });
    expect(body['private-user-alice'].status).toBe(200);
  });
});
