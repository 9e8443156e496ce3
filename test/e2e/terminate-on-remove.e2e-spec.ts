import { directoryCli } from '../helpers/cli-process';
import { expectSignedTerminate } from '../helpers/signed-terminate';
import { execSql } from '../helpers/plain-sql';
import { STORAGE_BACKENDS } from '../helpers/storage-backends';
import { useAppWithRestStandIn } from '../helpers/app-with-rest-stand-in';
import { waitForLog } from '../helpers/wait-for';

const USERS = ['bob', 'carol', 'dave', 'erin', 'frank'];

describe.each(STORAGE_BACKENDS)(
  'TERMINATE_ON_REMOVE on %s',
  (_backend, openStorage) => {
    const running = useAppWithRestStandIn(openStorage, {
      TERMINATE_ON_REMOVE: 'true',
    });

    beforeAll(async () => {
      await running.service.seed(
        ...USERS.map((id) => ({ id, userInfo: null, watchlist: [] })),
      );
      await waitForLog(
        running.service.logs.lines,
        /directory change: changed frank\b/,
      );
    });

    it('ends the connections of a user removed with the CLI, with a correctly signed request', async () => {
      expect(
        (await directoryCli(running.storage.url, ['remove', 'bob'])).code,
      ).toBe(0);
      await running.pusherApi.waitForRequests('bob', 1);
      const [request] = running.pusherApi.requestsFor('bob');
      expectSignedTerminate(request, 'bob');
      expect(request.body).toBe('{}');
      await waitForLog(
        running.service.logs.lines,
        /ended the live connections of removed user "bob"/,
      );
    });

    it('ends the connections of a user whose row is deleted with plain SQL', async () => {
      await execSql(
        running.storage.url,
        "DELETE FROM directory_users WHERE id = 'carol'",
      );
      await running.pusherApi.waitForRequests('carol', 1);
      expectSignedTerminate(running.pusherApi.requestsFor('carol')[0], 'carol');
    });

    it('retries when the REST API fails, and logs each failure without the signature', async () => {
      running.pusherApi.answerWith(503);
      expect(
        (await directoryCli(running.storage.url, ['remove', 'dave'])).code,
      ).toBe(0);
      await running.pusherApi.waitForRequests('dave', 2);
      await waitForLog(
        running.service.logs.lines,
        /ended the live connections of removed user "dave"/,
      );
      expect(
        running.service.logs.lines.some((line) =>
          /could not end the connections of removed user "dave" \(attempt 1 of 8\): the Pusher REST API answered 503; retrying in \d+ ms/.test(
            line,
          ),
        ),
      ).toBe(true);
      const signatures = running.pusherApi.requests.map((request) =>
        request.query.get('auth_signature')!,
      );
      for (const line of running.service.logs.lines) {
        expect(line).not.toMatch(/auth_signature|auth_key=/);
        for (const signature of signatures)
          expect(line).not.toContain(signature);
      }
    });

    it('gives up on an answer that retrying cannot change, and says so', async () => {
      running.pusherApi.answerWith(403);
      expect(
        (await directoryCli(running.storage.url, ['remove', 'erin'])).code,
      ).toBe(0);
      await waitForLog(
        running.service.logs.lines,
        /could not end the connections of removed user "erin" \(attempt 1\): the Pusher REST API answered 403; giving up/,
      );
      expect(running.pusherApi.requestsFor('erin')).toHaveLength(1);
    });

    it('does nothing for a user who was only changed', async () => {
      expect(
        (
          await directoryCli(running.storage.url, [
            'upsert',
            'frank',
            '--info',
            '{"name":"F"}',
          ])
        ).code,
      ).toBe(0);
      await waitForLog(
        running.service.logs.lines,
        /directory change: changed frank\b/,
      );
      expect(running.pusherApi.requestsFor('frank')).toHaveLength(0);
    });
  },
);

describe('without TERMINATE_ON_REMOVE', () => {
  const running = useAppWithRestStandIn(STORAGE_BACKENDS[0][1], {});

  beforeAll(async () => {
    await running.service.seed({ id: 'bob', userInfo: null, watchlist: [] });
  });

  it('leaves a removed user’s connections alone', async () => {
    expect(
      (await directoryCli(running.storage.url, ['remove', 'bob'])).code,
    ).toBe(0);
    await waitForLog(
      running.service.logs.lines,
      /directory change: removed bob\b/,
    );
    // The terminator would have called out in the same tick as the change; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(running.pusherApi.requests).toHaveLength(0);
  });
});
